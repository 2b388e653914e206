import { ExternalSecretData } from '../types/eso';
import { isBlocking } from './createIssue';
import { checkSourceRef, checkUnsupportedValues } from './entryRules';
import { dataEntrySchema } from './externalSecretSchemas';
import { SchemaParse, parseWithSchema } from './parseWithSchema';
import { valueAt } from './rawValue';

/**
 * Validates `spec.data[index]` on its own: structure, defaults, `sourceRef`
 * and unsupported values. A failing entry fails only itself.
 */
export function parseDataEntry(
  raw: unknown,
  index: number,
): SchemaParse<ExternalSecretData> {
  const path = ['spec', 'data', index];
  const parsed = parseWithSchema(dataEntrySchema, raw, path);
  const issues = [
    ...parsed.issues,
    ...checkSourceRef(raw, path),
    ...checkUnsupportedValues(valueAt(raw, ['remoteRef']), [
      ...path,
      'remoteRef',
    ]),
  ];
  const usable = parsed.value && !issues.some(isBlocking);
  return { value: usable ? parsed.value : undefined, issues };
}
