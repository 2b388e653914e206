import { ValidationIssue, ValidationSeverity } from '../types/validation';
import { PathSegment, formatFieldPath, truncate } from './fieldPath';

/**
 * Paths whose values may be secret material: fake-provider values and template
 * bodies. Their values are never echoed in messages.
 */
function isSensitivePath(path: readonly PathSegment[]): boolean {
  return path.some(
    (segment, i) =>
      ((segment === 'value' || segment === 'valueMap') &&
        path.includes('fake')) ||
      (segment === 'data' && path[i - 1] === 'template') ||
      (segment === 'literal' && path[i - 2] === 'templateFrom'),
  );
}

/** A scalar rendered as JSON (`"a b"`, `42`, `true`, `null`); nothing for objects or absent values. */
function describeScalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(truncate(value));
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

function subject(path: readonly PathSegment[], value: unknown): string {
  const where = formatFieldPath(path);
  const shown = isSensitivePath(path) ? undefined : describeScalar(value);
  return shown === undefined ? where : `${where} ${shown}`;
}

/**
 * `<path> <value>: <rule>`, e.g.
 * `spec.data[2].secretKey "a b": must match ^[-._a-zA-Z0-9]+$`.
 * The value is shown only when it is a scalar outside secret-bearing fields.
 */
export function issueAt(
  path: readonly PathSegment[],
  rule: string,
  value?: unknown,
  severity: ValidationSeverity = 'error',
): ValidationIssue {
  return {
    severity,
    path: formatFieldPath(path),
    message: `${subject(path, value)}: ${rule}`,
  };
}

/** `<path>: unknown field, ignored` (severity `warning`). */
export function unknownFieldAt(path: readonly PathSegment[]): ValidationIssue {
  return issueAt(path, 'unknown field, ignored', undefined, 'warning');
}

/** `<path> <value>: <rule>` with severity `warning`. */
export function warningAt(
  path: readonly PathSegment[],
  rule: string,
  value?: unknown,
): ValidationIssue {
  return issueAt(path, rule, value, 'warning');
}

/**
 * `unsupported: <path> <value>: <reason>` (severity `unsupported`): an ESO
 * field we do not implement, never silently ignored.
 */
export function unsupportedAt(
  path: readonly PathSegment[],
  reason: string,
  value?: unknown,
): ValidationIssue {
  return {
    severity: 'unsupported',
    path: formatFieldPath(path),
    message: `unsupported: ${subject(path, value)}: ${reason}`,
  };
}

/** True when an issue makes the object or entry unusable. */
export function isBlocking(issue: ValidationIssue): boolean {
  return issue.severity !== 'warning';
}
