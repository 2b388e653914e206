#!/usr/bin/env node
/*
 * Type-checks the BUILT declaration files of every published package the way
 * an adopter's app does under `tsc:full` (`skipLibCheck: false`): a consumer
 * file imports every entry point (`exports`) of every non-private package in
 * plugins/, and `paths` point each import at `dist/*.d.ts` instead of `src/`.
 * A type that is fine inside the monorepo but broken in the emitted `.d.ts`
 * (issue #20: TS2344 in the scaffolder module's `dist/index.d.ts`) fails here.
 *
 * Run after `yarn tsc && yarn backstage-cli repo build`.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// Inside the repository so the @backstage/* imports of the .d.ts files
// resolve from its node_modules, as they would in an app.
const workDir = path.join(root, '.cache', 'published-types');

function publishedEntryPoints() {
  const entries = [];
  for (const dir of fs.readdirSync(path.join(root, 'plugins')).sort()) {
    const pkgFile = path.join(root, 'plugins', dir, 'package.json');
    if (!fs.existsSync(pkgFile)) continue;
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    if (pkg.private) continue;
    const subpaths = Object.keys(pkg.exports ?? { '.': pkg.main }).filter(
      subpath => subpath !== './package.json',
    );
    for (const subpath of subpaths) {
      const base = subpath === '.' ? 'index' : subpath.slice(2);
      const dts = path.join(root, 'plugins', dir, 'dist', `${base}.d.ts`);
      if (!fs.existsSync(dts)) {
        throw new Error(
          `${path.relative(
            root,
            dts,
          )} is missing: run yarn tsc && yarn backstage-cli repo build first`,
        );
      }
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${base}`;
      entries.push({ specifier, dts });
    }
  }
  return entries;
}

function writeConsumer(entries) {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const imports = entries.map(
    (entry, i) => `import * as entry${i} from '${entry.specifier}';`,
  );
  const consumer = `${imports.join('\n')}\n\nexport const all = [${entries
    .map((_, i) => `entry${i}`)
    .join(', ')}];\n`;
  fs.writeFileSync(path.join(workDir, 'consumer.ts'), consumer);
  const paths = Object.fromEntries(
    entries.map(entry => [entry.specifier, [entry.dts]]),
  );
  const tsconfig = {
    extends: '@backstage/cli/config/tsconfig.json',
    include: ['consumer.ts'],
    compilerOptions: {
      noEmit: true,
      incremental: false,
      skipLibCheck: false,
      baseUrl: '.',
      paths,
    },
  };
  fs.writeFileSync(
    path.join(workDir, 'tsconfig.json'),
    `${JSON.stringify(tsconfig, null, 2)}\n`,
  );
}

const entries = publishedEntryPoints();
writeConsumer(entries);
const tsc = spawnSync(
  process.execPath,
  [
    require.resolve('typescript/bin/tsc', { paths: [root] }),
    '-p',
    workDir,
    '--pretty',
    'false',
  ],
  { stdio: 'inherit' },
);
if (tsc.status === 0) {
  console.log(
    `published types: ${entries.length} entry points type-check with skipLibCheck false`,
  );
}
process.exit(tsc.status ?? 1);
