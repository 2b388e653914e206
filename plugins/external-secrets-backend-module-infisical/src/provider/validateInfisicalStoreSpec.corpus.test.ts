import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseSecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { validateInfisicalStoreSpec } from './validateInfisicalStoreSpec';

/**
 * The store cases of the common bad-input corpus that pass the parser and are
 * the provider's to catch (`# Parser: validateStoreSpec`); the corpus README
 * describes the header lines.
 */
const CORPUS_DIR = join(
  dirname(
    require.resolve(
      '@external-secrets-backstage/backstage-plugin-external-secrets-common/package.json',
    ),
  ),
  'src/validation/__fixtures__/corpus',
);

function header(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^# ([A-Z][\w-]*): (.*)$/.exec(line);
    if (!match) break;
    fields.set(match[1], match[2]);
  }
  return fields;
}

const cases = readdirSync(CORPUS_DIR)
  .filter(file => /^\d{3}-.*\.yaml$/.test(file))
  .sort()
  .map(file => {
    const text = readFileSync(join(CORPUS_DIR, file), 'utf8');
    return { file, text, fields: header(text) };
  })
  .filter(c => c.fields.get('Parser') === 'validateStoreSpec');

describe('validateInfisicalStoreSpec over the bad-input corpus', () => {
  it('should find the provider cases of the corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  it.each(cases.map(c => [c.file, c]))(
    'should refuse %s with a blocking issue at the field path',
    (_file, { text, fields }) => {
      const parsed = parseSecretStore(text);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));

      const issues = validateInfisicalStoreSpec(parsed.value);

      expect(issues).toContainEqual({
        severity: expect.stringMatching(/^(error|unsupported)$/),
        path: fields.get('Path'),
        message: expect.stringContaining(fields.get('Expect')!),
      });
      const secret = fields.get('Secret') ?? '\u0000no secret in this case';
      expect(JSON.stringify(issues)).not.toContain(secret);
    },
  );
});
