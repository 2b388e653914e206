import { FakeProviderSpec } from '../types/eso';
import { unsupportedAt } from './createIssue';
import { exactlyOneOf } from './entryRules';
import { parseWithSchema } from './parseWithSchema';
import { ProviderParse } from './providerParse';
import { hasField, isRecord } from './rawValue';
import { fakeProviderSchema } from './secretStoreSchemas';

const PATH = ['spec', 'provider', 'fake'];

/**
 * Validates `spec.provider.fake`: `data[]` of `{key, value | valueMap,
 * version?}`. Values are secret material for the demo and never echoed.
 */
export function parseFakeProvider(
  raw: unknown,
): ProviderParse<FakeProviderSpec> {
  const parsed = parseWithSchema(fakeProviderSchema, raw, PATH);
  if (!isRecord(raw)) return { issues: parsed.issues, deferred: [] };
  const entries = Array.isArray(raw.data) ? raw.data : [];
  const issues = [
    ...parsed.issues,
    ...entries.flatMap((entry, i) =>
      isRecord(entry)
        ? exactlyOneOf(entry, [...PATH, 'data', i], [['value'], ['valueMap']])
        : [],
    ),
  ];
  if (hasField(raw, 'validationResult')) {
    issues.push(
      unsupportedAt(
        [...PATH, 'validationResult'],
        'simulated validation results are not implemented',
      ),
    );
  }
  const value = parsed.value && { data: parsed.value.data };
  return { value, issues, deferred: [] };
}
