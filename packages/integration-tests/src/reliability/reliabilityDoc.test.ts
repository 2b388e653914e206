import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO = resolve(__dirname, '../../../..');
const DOC = 'docs/reliability.md';
/** The suites this page documents; every test in them must have a row. */
const SUITES = [
  'packages/integration-tests/src/reliability/faultMatrix.test.ts',
  'packages/integration-tests/src/reliability/processKill.test.ts',
  'packages/integration-tests/src/reliability/replicas.test.ts',
  'packages/integration-tests/src/reliability/replicaClusters.test.ts',
  'packages/integration-tests/src/reliability/soak.test.soak.ts',
];

type Row = { file: string; name: string; line: string };

/** The Test cells of docs/reliability.md's tables: `path` › `test name`. */
function documentedTests(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(resolve(REPO, DOC), 'utf8').split('\n')) {
    const match = /\| `([^`]+)` › `([^`]+)` +\|$/.exec(line.trim());
    if (match) rows.push({ file: match[1], name: match[2], line });
  }
  return rows;
}

/**
 * The names a suite declares: plain `it('…')` titles and, for parameterised
 * tables, each row's `scenario: '…'`. Titles with `$scenario` are templates
 * whose rows stand in for them.
 */
function declaredTests(source: string): string[] {
  const titles = [...source.matchAll(/\bit\(\s*\n?\s*'([^']+)'/g)].map(
    m => m[1],
  );
  const eachTitles = [
    ...source.matchAll(/\bit\.each\([^)]*\)\(\s*\n?\s*'([^']+)'/g),
  ].map(m => m[1]);
  const scenarios = [...source.matchAll(/\bscenario: '([^']+)'/g)].map(
    m => m[1],
  );
  return [...titles, ...eachTitles, ...scenarios].filter(
    name => !name.includes('$scenario'),
  );
}

/** A test name as it appears in its file: a plain title, or a scenario row. */
function declares(source: string, name: string): boolean {
  if (source.includes(`'${name}'`)) return true;
  // Names of it.each titles with %s placeholders are quoted as written.
  return source.includes(name.replace(/'/g, "\\'"));
}

describe('docs/reliability.md', () => {
  const rows = documentedTests();

  it('should list scenarios in a table with a test for each', () => {
    expect(rows.length).toBeGreaterThan(20);
  });

  it.each(rows.map(row => [row.file, row.name]))(
    'should name a test that exists: %s › %s',
    (file, name) => {
      const source = readFileSync(resolve(REPO, file), 'utf8');
      expect(declares(source, name)).toBe(true);
    },
  );

  it.each(SUITES)('should list every test of %s', file => {
    const source = readFileSync(resolve(REPO, file), 'utf8');
    const listed = new Set(
      rows.filter(row => row.file === file).map(row => row.name),
    );
    const missing = declaredTests(source).filter(name => !listed.has(name));
    expect(missing).toEqual([]);
  });
});
