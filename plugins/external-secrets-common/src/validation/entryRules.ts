import { ValidationIssue } from '../types/validation';
import { issueAt, unsupportedAt } from './createIssue';
import { PathSegment } from './fieldPath';
import { hasField, isRecord, valueAt } from './rawValue';

/** `found none`, `found extract`, `found extract and find`, `found a, b and c`. */
export function describeFound(names: readonly string[]): string {
  if (names.length === 0) return 'found none';
  if (names.length === 1) return `found ${names[0]}`;
  return `found ${names.slice(0, -1).join(', ')} and ${
    names[names.length - 1]
  }`;
}

/**
 * `must set exactly one of a, b or c (found ...)` when not exactly one of the
 * field paths is present; `choices` replaces the "one of a, b or c" part.
 */
export function exactlyOneOf(
  raw: unknown,
  path: readonly PathSegment[],
  fields: readonly (readonly string[])[],
  choices?: string,
): ValidationIssue[] {
  const names = fields.map(f => f.join('.'));
  const present = names.filter((_, i) => valueAt(raw, fields[i]) !== undefined);
  if (present.length === 1) return [];
  const what =
    choices ??
    `one of ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return [
    issueAt(path, `must set exactly ${what} (${describeFound(present)})`),
  ];
}

/**
 * `sourceRef` must name exactly one source; a generator is an ESO feature we
 * do not implement.
 */
export function checkSourceRef(
  entry: unknown,
  path: readonly PathSegment[],
): ValidationIssue[] {
  const sourceRef = valueAt(entry, ['sourceRef']);
  if (!isRecord(sourceRef)) return [];
  const sourcePath = [...path, 'sourceRef'];
  const issues = exactlyOneOf(sourceRef, sourcePath, [
    ['storeRef'],
    ['generatorRef'],
  ]);
  if (hasField(sourceRef, 'generatorRef')) {
    issues.push(
      unsupportedAt(
        [...sourcePath, 'generatorRef'],
        'generators are not implemented; read from a store instead',
      ),
    );
  }
  return issues;
}

type ValueRule = { field: string; value: string; reason: string };

/** Values of remoteRef-like fields that ESO supports and we do not. */
const UNSUPPORTED_VALUES: readonly ValueRule[] = [
  {
    field: 'metadataPolicy',
    value: 'Fetch',
    reason: 'fetching provider metadata (tags, labels) is not implemented',
  },
];

/** Unsupported values in a `remoteRef`, `extract` or `find` block. */
export function checkUnsupportedValues(
  block: unknown,
  path: readonly PathSegment[],
): ValidationIssue[] {
  if (!isRecord(block)) return [];
  return UNSUPPORTED_VALUES.filter(
    rule => block[rule.field] === rule.value,
  ).map(rule => unsupportedAt([...path, rule.field], rule.reason, rule.value));
}
