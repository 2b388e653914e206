import { ValidationIssue } from '../types/validation';
import { issueAt } from './createIssue';
import { formatFieldPath } from './fieldPath';
import { isRecord, valueAt } from './rawValue';

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function hasTemplateContent(spec: Record<string, unknown>): boolean {
  const template = valueAt(spec, ['target', 'template']);
  const data = valueAt(template, ['data']);
  const templateFrom = valueAt(template, ['templateFrom']);
  return (
    (isRecord(data) && Object.keys(data).length > 0) ||
    (Array.isArray(templateFrom) && templateFrom.length > 0)
  );
}

/** Set and not an empty list (a malformed value is reported by the schema). */
function isFilled(value: unknown): boolean {
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

/** ESO needs something to sync: data, dataFrom, or (here) a template with content. */
function checkSomethingToSync(
  spec: Record<string, unknown>,
): ValidationIssue[] {
  if (isFilled(spec.data) || isFilled(spec.dataFrom)) return [];
  if (hasTemplateContent(spec)) return [];
  return [
    issueAt(
      ['spec'],
      'must set data, dataFrom or target.template (data or templateFrom): nothing would be synced',
    ),
  ];
}

/** Every entry reads from a store: spec.secretStoreRef or its own sourceRef. */
function checkStores(spec: Record<string, unknown>): ValidationIssue[] {
  if (spec.secretStoreRef !== undefined) return [];
  return (['data', 'dataFrom'] as const).flatMap(field =>
    list(spec[field]).flatMap((entry, i) => {
      const hasSource =
        valueAt(entry, ['sourceRef', 'storeRef']) !== undefined ||
        valueAt(entry, ['sourceRef', 'generatorRef']) !== undefined;
      if (!isRecord(entry) || hasSource) return [];
      return [
        issueAt(
          ['spec', field, i],
          'has no store to read from: set spec.secretStoreRef or sourceRef.storeRef on this entry',
        ),
      ];
    }),
  );
}

/**
 * Two data entries with one secretKey: ESO's admission webhook refuses them
 * under deletionPolicy Retain (the default) and otherwise lets the later entry
 * win (externalsecret_validator.go, validateDuplicateKeys).
 */
function checkDuplicateKeys(spec: Record<string, unknown>): ValidationIssue[] {
  const deletionPolicy = valueAt(spec, ['target', 'deletionPolicy']);
  if (deletionPolicy !== undefined && deletionPolicy !== 'Retain') return [];
  const firstIndex = new Map<string, number>();
  return list(spec.data).flatMap((entry, i) => {
    const key = valueAt(entry, ['secretKey']);
    if (typeof key !== 'string') return [];
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, i);
      return [];
    }
    const firstPath = formatFieldPath(['spec', 'data', first, 'secretKey']);
    return [
      issueAt(
        ['spec', 'data', i, 'secretKey'],
        `duplicate of ${firstPath}: each secretKey must be unique`,
        key,
      ),
    ];
  });
}

/**
 * Object-level rules over the entries of `spec.data`/`spec.dataFrom`: there is
 * something to sync, every entry has a store, and no two entries share a key.
 */
export function checkSpecSources(spec: unknown): ValidationIssue[] {
  if (!isRecord(spec)) return [];
  return [
    ...checkSomethingToSync(spec),
    ...checkStores(spec),
    ...checkDuplicateKeys(spec),
  ];
}
