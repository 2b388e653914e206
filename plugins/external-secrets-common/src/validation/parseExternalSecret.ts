import {
  ESO_API_VERSION_V1BETA1,
  ExternalSecret,
  ExternalSecretStatus,
} from '../types/eso';
import {
  InvalidEntry,
  ParseResult,
  ParsedExternalSecret,
  ValidationIssue,
} from '../types/validation';
import { checkSpecSources } from './checkSpecSources';
import { V1BETA1_WARNING } from './commonSchemas';
import { checkTarget } from './checkTarget';
import { isBlocking, issueAt, unsupportedAt, warningAt } from './createIssue';
import {
  externalSecretSchema,
  externalSecretStatusSchema,
} from './externalSecretSchemas';
import { parseDataEntry } from './parseDataEntry';
import { parseDataFromEntry } from './parseDataFromEntry';
import { SchemaParse, parseWithSchema } from './parseWithSchema';
import { hasField, isRecord, valueAt } from './rawValue';
import { guardedParse } from './guardedParse';
import { readDocument } from './readDocument';

type EntriesParse<T> = {
  values: T[];
  indexes: number[];
  invalid: InvalidEntry[];
  issues: ValidationIssue[];
};

function parseEntries<T>(
  raw: unknown,
  field: 'data' | 'dataFrom',
  parseEntry: (entry: unknown, index: number) => SchemaParse<T>,
): EntriesParse<T> {
  const result: EntriesParse<T> = {
    values: [],
    indexes: [],
    invalid: [],
    issues: [],
  };
  const entries = Array.isArray(raw) ? raw : [];
  entries.forEach((entry, index) => {
    const parsed = parseEntry(entry, index);
    result.issues.push(...parsed.issues);
    if (parsed.value !== undefined) {
      result.values.push(parsed.value);
      result.indexes.push(index);
      return;
    }
    const secretKey = valueAt(entry, ['secretKey']);
    const remoteKey =
      valueAt(entry, ['remoteRef', 'key']) ??
      valueAt(entry, ['extract', 'key']);
    result.invalid.push({
      field,
      index,
      ...(field === 'data' && typeof secretKey === 'string'
        ? { secretKey }
        : {}),
      ...(typeof remoteKey === 'string' ? { remoteKey } : {}),
      issues: parsed.issues,
    });
  });
  return result;
}

/** Object-level rules that need more than one field at a time. */
function checkObject(raw: Record<string, unknown>): ValidationIssue[] {
  const spec = raw.spec;
  const issues: ValidationIssue[] = [];
  if (raw.apiVersion === ESO_API_VERSION_V1BETA1) {
    issues.push(warningAt(['apiVersion'], V1BETA1_WARNING, raw.apiVersion));
  }
  if (hasField(spec, 'syncWindows')) {
    issues.push(
      unsupportedAt(
        ['spec', 'syncWindows'],
        'sync windows are not implemented; refreshes follow refreshInterval',
      ),
    );
  }
  return [
    ...issues,
    ...checkTarget(valueAt(spec, ['target'])),
    ...checkSpecSources(spec),
  ];
}

/** Status is controller-written: kept when readable, otherwise dropped with a warning. */
function readStatus(raw: unknown): {
  status?: ExternalSecretStatus;
  issues: ValidationIssue[];
} {
  if (raw === undefined) return { issues: [] };
  const parsed = externalSecretStatusSchema.safeParse(raw);
  if (parsed.success) return { status: parsed.data, issues: [] };
  return {
    issues: [
      warningAt(['status'], 'ignored: not a readable ExternalSecret status'),
    ],
  };
}

function parse(input: unknown): ParseResult<ParsedExternalSecret> {
  const document = readDocument(input);
  if (!document.ok) return { ok: false, issues: document.issues };
  const raw = document.value;
  if (!isRecord(raw)) {
    return {
      ok: false,
      issues: [
        issueAt([], 'must be an object (an ExternalSecret manifest)', raw),
      ],
    };
  }

  const object = parseWithSchema(externalSecretSchema, raw, []);
  const objectIssues = [...object.issues, ...checkObject(raw)];
  const status = readStatus(raw.status);
  const data = parseEntries(
    valueAt(raw, ['spec', 'data']),
    'data',
    parseDataEntry,
  );
  const dataFrom = parseEntries(
    valueAt(raw, ['spec', 'dataFrom']),
    'dataFrom',
    parseDataFromEntry,
  );
  const issues = [
    ...objectIssues,
    ...status.issues,
    ...data.issues,
    ...dataFrom.issues,
  ];
  if (!object.value || objectIssues.some(isBlocking)) {
    return { ok: false, issues };
  }

  const { metadata, spec, apiVersion, kind } = object.value;
  const externalSecret: ExternalSecret = {
    apiVersion,
    kind,
    metadata,
    spec: {
      ...spec,
      target: { ...spec.target, name: spec.target.name || metadata.name },
      data: data.values,
      dataFrom: dataFrom.values,
    },
    ...(status.status ? { status: status.status } : {}),
  };
  const value: ParsedExternalSecret = {
    externalSecret,
    dataIndexes: data.indexes,
    dataFromIndexes: dataFrom.indexes,
    invalidEntries: [...data.invalid, ...dataFrom.invalid],
    issues,
  };
  return { ok: true, value, issues };
}

/**
 * Parses and validates an ExternalSecret manifest (`external-secrets.io/v1`,
 * or `v1beta1` with a deprecation warning) with ESO's rules, and fills ESO's
 * defaults (refreshInterval `1h`, refreshPolicy `Periodic`, store kind
 * `SecretStore`, target name = metadata.name, creationPolicy `Owner`,
 * deletionPolicy `Retain`, decodingStrategy `None`, template engine `v2`, ...).
 *
 * A bad `spec.data[i]`/`spec.dataFrom[i]` entry fails only itself: it is listed
 * in `invalidEntries` and left out of `spec.data`/`spec.dataFrom`, and
 * `dataIndexes`/`dataFromIndexes` map the remaining entries back to the
 * manifest. Object-level problems make the result `ok: false`.
 * Never throws.
 *
 * @param input - YAML or JSON text of one document, or an already-parsed object.
 * @example
 * ```ts
 * const result = parseExternalSecret(yamlText);
 * if (result.ok) {
 *   result.value.externalSecret.spec.target.name; // 'my-secret'
 * } else {
 *   result.issues.map(i => i.message);
 *   // ['spec.data[2].secretKey "a b": must match ^[-._a-zA-Z0-9]+$', ...]
 * }
 * ```
 * @public
 */
export function parseExternalSecret(
  input: string | unknown,
): ParseResult<ParsedExternalSecret> {
  return guardedParse(() => parse(input));
}
