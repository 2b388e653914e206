import { parseAllDocuments } from 'yaml';
import { StoreKind } from '../types/eso';
import {
  ParseResult,
  ParsedExternalSecret,
  ParsedSecretStore,
  ValidationIssue,
} from '../types/validation';
import { issueAt } from './createIssue';
import { parseExternalSecret } from './parseExternalSecret';
import { parseSecretStore } from './parseSecretStore';
import { isRecord } from './rawValue';
import { documentToValue } from './readDocument';

/**
 * One document of a multi-document YAML text, dispatched by `kind`.
 * `index` is the document's position in the text (0-based, counting empty
 * documents, which are skipped). Documents of other kinds, and documents that
 * are not readable, come back as `kind: 'Other'` with the reason in
 * `result.issues`; `manifestKind` holds the kind as written, when it is a string.
 * @public
 */
export type ParsedManifest =
  | {
      index: number;
      kind: 'ExternalSecret';
      result: ParseResult<ParsedExternalSecret>;
    }
  | { index: number; kind: StoreKind; result: ParseResult<ParsedSecretStore> }
  | {
      index: number;
      kind: 'Other';
      manifestKind?: string;
      result: { ok: false; issues: ValidationIssue[] };
    };

function other(
  index: number,
  issues: ValidationIssue[],
  manifestKind?: string,
): ParsedManifest {
  return {
    index,
    kind: 'Other',
    ...(manifestKind !== undefined ? { manifestKind } : {}),
    result: { ok: false, issues },
  };
}

function dispatch(index: number, value: unknown): ParsedManifest {
  if (!isRecord(value)) {
    return other(index, [
      issueAt([], 'must be an object (a Kubernetes manifest)', value),
    ]);
  }
  const kind = value.kind;
  if (kind === 'ExternalSecret') {
    return { index, kind, result: parseExternalSecret(value) };
  }
  if (kind === 'SecretStore' || kind === 'ClusterSecretStore') {
    return { index, kind, result: parseSecretStore(value) };
  }
  const rule =
    kind === undefined
      ? 'is required'
      : 'must be ExternalSecret, SecretStore or ClusterSecretStore';
  return other(
    index,
    [issueAt(['kind'], rule, kind)],
    typeof kind === 'string' ? kind : undefined,
  );
}

/**
 * Parses multi-document YAML (documents separated by `---`) and validates each
 * ExternalSecret, SecretStore and ClusterSecretStore with
 * {@link parseExternalSecret} / {@link parseSecretStore}. Malformed YAML yields
 * `(root): invalid YAML at line L, column C: <reason>` for that document.
 * Never throws.
 *
 * @example
 * ```ts
 * for (const doc of parseManifests(text)) {
 *   if (doc.kind === 'ExternalSecret' && doc.result.ok) {
 *     console.log(doc.result.value.externalSecret.metadata.name);
 *   }
 * }
 * ```
 * @public
 */
export function parseManifests(text: string): ParsedManifest[] {
  if (typeof text !== 'string') {
    return [other(0, [issueAt([], 'must be YAML text', text)])];
  }
  try {
    const documents = parseAllDocuments(text);
    const list = Array.isArray(documents) ? documents : [];
    return list.flatMap((document, index) => {
      const read = documentToValue(document);
      if (!read.ok) return [other(index, read.issues)];
      // An empty document (`---` followed by nothing or comments) is no manifest.
      if (read.value === null || read.value === undefined) return [];
      return [dispatch(index, read.value)];
    });
  } catch (error) {
    const name = (error as { name?: unknown } | undefined)?.name;
    const kind = typeof name === 'string' ? name : typeof error;
    return [other(0, [issueAt([], `could not be read (${kind})`)])];
  }
}
