import fs from 'fs';
import path from 'path';
import { ParseResult, ValidationIssue } from '../types/validation';
import { parseExternalSecret } from './parseExternalSecret';
import { parseManifests } from './parseManifests';
import { parseSecretStore } from './parseSecretStore';

/**
 * The bad-input corpus: one file per case under `__fixtures__/corpus/`, each
 * starting with `# Key: value` header lines (see the corpus README). Every case
 * must come back as issues, never a throw, with one blocking issue at the
 * stated field path whose message holds the stated text.
 */
const CORPUS_DIR = path.join(__dirname, '__fixtures__', 'corpus');
/** Long enough for any rule and a 100-character excerpt of the value. */
const MAX_MESSAGE_LENGTH = 1000;

type CorpusCase = {
  file: string;
  parser: string;
  path: string;
  expect: string;
  okDocuments?: number;
  secret?: string;
  text: string;
};

function readCase(file: string): CorpusCase {
  const raw = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
  const lines = raw.split('\n');
  const header = new Map<string, string>();
  let bodyStart = 0;
  for (const line of lines) {
    const match = /^# ([A-Z][\w-]*): (.*)$/.exec(line);
    if (!match) break;
    header.set(match[1], match[2]);
    bodyStart++;
  }
  const body = lines.slice(bodyStart).join('\n');
  const generate = header.get('Generate');
  const okDocuments = header.get('Ok-documents');
  return {
    file,
    parser: header.get('Parser')!,
    path: header.get('Path')!,
    expect: header.get('Expect')!,
    ...(okDocuments ? { okDocuments: Number(okDocuments) } : {}),
    ...(header.has('Secret') ? { secret: header.get('Secret') } : {}),
    // JSON cases are parsed without their header, so the bytes are pure JSON.
    text: generate ? generated(generate) : caseText(file, raw, body),
  };
}

function caseText(file: string, raw: string, body: string): string {
  return file.endsWith('.json') ? body : raw;
}

const entry = (secretKey: string, key = 'K') => ({
  secretKey,
  remoteRef: { key },
});

const externalSecretJson = (data: unknown[], name = 'big') =>
  JSON.stringify({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: 'team-a' },
    spec: { secretStoreRef: { name: 'demo' }, data },
  });

/** Inputs too large to keep as files, built from the case's `Generate` line. */
function generated(spec: string): string {
  const [kind, countText] = spec.split(' ');
  const count = Number(countText);
  switch (kind) {
    case 'entries':
      return externalSecretJson([
        ...Array.from({ length: count }, (_, i) => entry(`key-${i}`, `K${i}`)),
        entry('bad key'),
      ]);
    case 'long-secret-key':
      return externalSecretJson([entry('k'.repeat(count))]);
    case 'documents':
      return Array.from({ length: count }, (_, i) =>
        i === Math.floor(count / 2)
          ? 'kind: ExternalSecret\nspec: {data: [}'
          : externalSecretJson([entry('k')], `es-${i}`),
      ).join('\n---\n');
    case 'nesting':
      return `${'['.repeat(count)}${']'.repeat(count)}`;
    default:
      throw new Error(`unknown generator "${kind}" in the corpus`);
  }
}

/** The results a case produces: one per document. */
function run(testCase: CorpusCase): ParseResult<unknown>[] {
  switch (testCase.parser) {
    case 'parseManifests':
      return parseManifests(testCase.text).map(d => d.result);
    case 'parseExternalSecret':
      return [parseExternalSecret(testCase.text)];
    case 'parseSecretStore':
    case 'validateStoreSpec':
      return [parseSecretStore(testCase.text)];
    default:
      throw new Error(`unknown parser "${testCase.parser}" in the corpus`);
  }
}

const isBlocking = (issue: ValidationIssue) => issue.severity !== 'warning';

const cases = fs
  .readdirSync(CORPUS_DIR)
  .filter(file => /^\d{3}-.*\.(ya?ml|json)$/.test(file))
  .sort()
  .map(readCase);
const parserCases = cases.filter(c => c.parser !== 'validateStoreSpec');
const providerCases = cases.filter(c => c.parser === 'validateStoreSpec');

describe('bad-input corpus', () => {
  it('should hold at least 60 cases, each stating its parser, path and expected text', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const testCase of cases) {
      expect([testCase.file, testCase.path, testCase.expect]).toEqual([
        testCase.file,
        expect.stringMatching(/\S/),
        expect.stringMatching(/\S/),
      ]);
    }
  });

  it.each(parserCases.map(c => [c.file, c]))(
    'should answer %s with a clear issue at the field path, without throwing',
    (_file, testCase) => {
      let results: ParseResult<unknown>[] = [];
      expect(() => {
        results = run(testCase);
      }).not.toThrow();
      const issues = results.flatMap(r => r.issues);

      expect(issues).toContainEqual(
        expect.objectContaining({
          path: testCase.path,
          message: expect.stringContaining(testCase.expect),
        }),
      );
      const match = issues.find(
        i => i.path === testCase.path && i.message.includes(testCase.expect),
      )!;
      expect(isBlocking(match)).toBe(true);
      expect(match.message.replace(/^unsupported: /, '')).toMatch(
        new RegExp(`^${escapeRegExp(testCase.path)}[ :]`),
      );
      for (const issue of issues) {
        expect(issue.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      }
      expect(results.filter(r => r.ok).length).toBe(
        testCase.okDocuments ?? results.filter(r => r.ok).length,
      );
      expect(JSON.stringify(issues)).not.toContain(
        testCase.secret ?? '\u0000no secret in this case',
      );
    },
  );

  it.each(providerCases.map(c => [c.file, c]))(
    'should leave %s to the provider: the parser accepts it, validateStoreSpec reports it',
    (_file, testCase) => {
      const [result] = run(testCase);

      expect(result.ok).toBe(true);
    },
  );

  it('should build the generated huge inputs above 100 KB', () => {
    const huge = cases.filter(c => c.file.includes('-huge-'));

    expect(huge.length).toBeGreaterThanOrEqual(4);
    for (const testCase of huge) {
      expect(testCase.text.length).toBeGreaterThan(100_000);
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
