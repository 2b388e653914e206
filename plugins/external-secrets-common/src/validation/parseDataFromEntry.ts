import { ExternalSecretDataFromRemoteRef } from '../types/eso';
import { ValidationIssue } from '../types/validation';
import { isBlocking, issueAt, unsupportedAt } from './createIssue';
import {
  checkSourceRef,
  checkUnsupportedValues,
  exactlyOneOf,
} from './entryRules';
import { dataFromEntrySchema } from './externalSecretSchemas';
import { PathSegment } from './fieldPath';
import { SchemaParse, parseWithSchema } from './parseWithSchema';
import { hasField, isRecord, valueAt } from './rawValue';

/** `find` must select something: a name pattern, tags or a path. */
function checkFind(find: unknown, path: PathSegment[]): ValidationIssue[] {
  if (!isRecord(find)) return [];
  const selectors = ['name', 'tags', 'path'].filter(f => hasField(find, f));
  return [
    ...(selectors.length === 0
      ? [issueAt(path, 'must set at least one of name, tags or path')]
      : []),
    ...checkUnsupportedValues(find, path),
  ];
}

/** Each rewrite is exactly one operation; `regexp` and `transform` are implemented. */
function checkRewrites(
  rewrites: unknown,
  path: PathSegment[],
): ValidationIssue[] {
  if (!Array.isArray(rewrites)) return [];
  return rewrites.flatMap((rewrite, j) => {
    if (!isRecord(rewrite)) return [];
    const rewritePath = [...path, j];
    const unsupported = hasField(rewrite, 'merge')
      ? [
          unsupportedAt(
            [...rewritePath, 'merge'],
            'rewrite.merge is not implemented; use rewrite.regexp or rewrite.transform',
          ),
        ]
      : [];
    return [
      ...exactlyOneOf(rewrite, rewritePath, [
        ['regexp'],
        ['transform'],
        ['merge'],
      ]),
      ...unsupported,
    ];
  });
}

/**
 * Validates `spec.dataFrom[index]` on its own: exactly one of
 * extract/find/generator, a selective `find`, well-formed rewrites and
 * unsupported features. A failing entry fails only itself.
 */
export function parseDataFromEntry(
  raw: unknown,
  index: number,
): SchemaParse<ExternalSecretDataFromRemoteRef> {
  const path = ['spec', 'dataFrom', index];
  const parsed = parseWithSchema(dataFromEntrySchema, raw, path);
  const issues = [...parsed.issues];
  if (isRecord(raw)) {
    issues.push(
      ...exactlyOneOf(raw, path, [
        ['extract'],
        ['find'],
        ['sourceRef', 'generatorRef'],
      ]),
      ...checkSourceRef(raw, path),
      ...checkUnsupportedValues(valueAt(raw, ['extract']), [
        ...path,
        'extract',
      ]),
      ...checkFind(raw.find, [...path, 'find']),
      ...checkRewrites(raw.rewrite, [...path, 'rewrite']),
    );
  }
  const usable = parsed.value && !issues.some(isBlocking);
  return { value: usable ? parsed.value : undefined, issues };
}
