import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// no I/O: the reconcile core, templates and providers of the node package, and
// the whole isomorphic common package (types, validation, durations), are
// pure. A check across two packages' sources, so it lives in this test-only
// workspace (issue #18: no package reads another's files).
const FORBIDDEN_MODULES = [
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'tls',
  'dns',
  'worker_threads',
];
const IMPORT =
  /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?([\w/-]+)['"]/g;
const FETCH = /(?<![\w.])fetch\s*\(/;
const TIMERS = /(?<![\w.])(?:setTimeout|setInterval|setImmediate)\s*\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) &&
      !/\.test\.ts$/.test(name) &&
      name !== 'setupTests.ts'
      ? [path]
      : [];
  });
}

function violations(text: string): string[] {
  const found = [...text.matchAll(IMPORT)]
    .map(m => m[1].split('/')[0])
    .filter(m => FORBIDDEN_MODULES.includes(m));
  if (FETCH.test(text)) found.push('fetch()');
  if (TIMERS.test(text)) found.push('timers');
  return found;
}

const PLUGINS = resolve(__dirname, '../../../plugins');
const NODE_SRC = join(PLUGINS, 'external-secrets-node/src');
const COMMON_SRC = join(PLUGINS, 'external-secrets-common/src');

describe('no I/O guard', () => {
  const files = [...sourceFiles(NODE_SRC), ...sourceFiles(COMMON_SRC)];

  it('should scan the package sources', () => {
    expect(files.map(f => relative(PLUGINS, f))).toEqual(
      expect.arrayContaining([
        'external-secrets-node/src/reconcile/reconcileExternalSecret.ts',
        'external-secrets-node/src/providers/fake/createFakeProvider.ts',
        'external-secrets-node/src/template/renderTemplate.ts',
        'external-secrets-common/src/validation/parseExternalSecret.ts',
      ]),
    );
  });

  it.each(files.map(f => [relative(PLUGINS, f), f]))(
    'should find no I/O in %s',
    (_name, file) => {
      expect(violations(readFileSync(file, 'utf8'))).toEqual([]);
    },
  );

  it('should catch the imports and calls it guards against', () => {
    const bad = [
      "import { readFile } from 'node:fs';",
      "import x from 'fs/promises';",
      "const cp = require('child_process');",
      'await fetch(url);',
      'setTimeout(f, 1);',
    ];
    expect(bad.map(violations)).toEqual([
      ['fs'],
      ['fs'],
      ['child_process'],
      ['fetch()'],
      ['timers'],
    ]);
  });
});
