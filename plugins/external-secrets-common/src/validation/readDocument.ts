import { Document, YAMLError, parseAllDocuments } from 'yaml';
import { ValidationIssue } from '../types/validation';
import { issueAt } from './createIssue';

/** Limits that keep hostile YAML (alias bombs) from exhausting memory. */
const TO_JS_OPTIONS = { maxAliasCount: 100 };
/** Nulls deeper than this are left as they are (no schema goes this deep). */
const MAX_NORMALIZE_DEPTH = 64;

/** A document read into plain values, or the issues explaining why it could not be. */
export type DocumentRead =
  | { ok: true; value: unknown }
  | { ok: false; issues: ValidationIssue[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * Kubernetes treats `field: null` like an absent field (the API server prunes
 * it before defaulting), so nulls are dropped from objects before validation.
 * Copies with `Object.fromEntries`, which keeps a `__proto__` key an own field.
 */
export function dropNullFields(value: unknown, depth = 0): unknown {
  if (depth > MAX_NORMALIZE_DEPTH) return value;
  if (Array.isArray(value)) {
    return value.map(item => dropNullFields(item, depth + 1));
  }
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([key, field]) => [key, dropNullFields(field, depth + 1)]),
  );
}

/**
 * `invalid YAML at line 3, column 5: <reason>`, without yaml's source excerpt:
 * the excerpt would echo manifest lines, which may hold secret values.
 */
export function yamlErrorIssue(error: YAMLError): ValidationIssue {
  const reason = error.message.split('\n')[0].replace(/ at line \d+.*$/, '');
  const position = error.linePos?.[0];
  const where = position
    ? ` at line ${position.line}, column ${position.col}`
    : '';
  return issueAt([], `invalid YAML${where}: ${reason}`);
}

/** Converts one parsed YAML document to plain values. */
export function documentToValue(document: Document): DocumentRead {
  // Later errors are usually knock-on effects of the first one.
  if (document.errors.length > 0) {
    return { ok: false, issues: [yamlErrorIssue(document.errors[0])] };
  }
  try {
    return { ok: true, value: dropNullFields(document.toJS(TO_JS_OPTIONS)) };
  } catch (error) {
    // Duck-typed: errors from another realm are not `instanceof Error`.
    const message = (error as { message?: unknown } | undefined)?.message;
    const reason = typeof message === 'string' ? message : 'unreadable';
    return { ok: false, issues: [issueAt([], `invalid YAML: ${reason}`)] };
  }
}

/**
 * Reads a single manifest: YAML or JSON text, or an already-parsed value.
 * Text holding several documents is refused (use `parseManifests`).
 */
export function readDocument(input: unknown): DocumentRead {
  if (typeof input !== 'string') {
    return { ok: true, value: dropNullFields(input) };
  }
  const documents = parseAllDocuments(input);
  const list = Array.isArray(documents) ? documents : [];
  if (list.length === 0) {
    return {
      ok: false,
      issues: [
        issueAt([], 'must not be empty: expected a YAML or JSON manifest'),
      ],
    };
  }
  if (list.length > 1) {
    return {
      ok: false,
      issues: [
        issueAt(
          [],
          `holds ${list.length} YAML documents, expected one; use parseManifests for multi-document text`,
        ),
      ],
    };
  }
  return documentToValue(list[0]);
}
