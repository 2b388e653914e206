/*
 * Checks the BUILT packages an adopter installs (issue #20): production
 * packages never depend on msw or on the test-utils package, and every runtime
 * dependency they declare is imported by what they ship (dist/), so an app
 * does not install packages nobody uses. Run with `node --test` after
 * `yarn tsc && yarn backstage-cli repo build`.
 */
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const root = path.resolve(__dirname, '..');
const TEST_UTILS = /-test-utils$/;
const TEST_ONLY = ['msw'];

function publishedPackages() {
  return fs
    .readdirSync(path.join(root, 'plugins'))
    .map(dir => path.join(root, 'plugins', dir))
    .filter(dir => fs.existsSync(path.join(dir, 'package.json')))
    .map(dir => ({
      dir,
      pkg: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')),
    }))
    .filter(({ pkg }) => !pkg.private);
}

function filesBelow(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(full) : [full];
  });
}

/** Package names that dist/ imports: require(), import, export from, import(). */
function importedPackages(dir) {
  const dist = path.join(dir, 'dist');
  assert.ok(
    fs.existsSync(dist),
    `${path.relative(
      root,
      dist,
    )} is missing: run yarn tsc && yarn backstage-cli repo build first`,
  );
  const specifier =
    /(?:require\(|import\(|from\s+|import\s+)['"]([^'"./][^'"]*)['"]/g;
  const names = new Set();
  for (const file of filesBelow(dist)) {
    if (!/\.(c?js|mjs|d\.ts)$/.test(file)) continue;
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(specifier)) {
      const parts = spec.split('/');
      const name = spec.startsWith('@')
        ? parts.slice(0, 2).join('/')
        : parts[0];
      if (!builtinModules.includes(name) && !name.startsWith('node:')) {
        names.add(name);
      }
    }
  }
  return names;
}

const runtimeDeps = pkg => ({
  ...pkg.dependencies,
  ...pkg.peerDependencies,
});

for (const { dir, pkg } of publishedPackages()) {
  const production = !TEST_UTILS.test(pkg.name);

  if (production) {
    test(`${pkg.name}: no test-only package among its runtime dependencies`, () => {
      const testOnly = Object.keys(runtimeDeps(pkg)).filter(
        name => TEST_ONLY.includes(name) || TEST_UTILS.test(name),
      );
      assert.deepStrictEqual(
        testOnly,
        [],
        `move ${testOnly.join(
          ', ',
        )} to devDependencies; simulators live in the test-utils package`,
      );
    });
  }

  test(`${pkg.name}: every runtime dependency is used by dist/`, () => {
    const used = importedPackages(dir);
    const unused = Object.keys(pkg.dependencies ?? {}).filter(
      name => !used.has(name),
    );
    assert.deepStrictEqual(
      unused,
      [],
      `dist/ never imports ${unused.join(
        ', ',
      )}: make it a devDependency or drop it`,
    );
  });
}

for (const { dir, pkg } of publishedPackages()) {
  test(`${pkg.name}: README links work outside the repository (npm)`, () => {
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const relative = [...readme.matchAll(/\]\((\.\.?\/[^)\s]*)\)/g)].map(
      ([, target]) => target,
    );
    assert.deepStrictEqual(
      relative,
      [],
      `link to the repository instead (https://github.com/external-secrets-backstage/external-secrets-backstage/blob/main/...)`,
    );
  });
}
