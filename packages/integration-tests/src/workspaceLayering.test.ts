import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');
const FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;
/** What a production package may depend on: shared libraries, never a plugin or a module. */
const LIBRARY_ROLES = ['common-library', 'node-library', 'web-library'];

type PackageJson = {
  name: string;
  backstage?: { role?: string };
} & Partial<Record<(typeof FIELDS)[number], Record<string, string>>>;

const read = (path: string) =>
  JSON.parse(readFileSync(resolve(REPO, path), 'utf8')) as PackageJson;

function packagesIn(folder: string): PackageJson[] {
  return readdirSync(resolve(REPO, folder), { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => read(join(folder, entry.name, 'package.json')));
}

const production = packagesIn('plugins');
/** Every workspace: the production packages, the demo, this one, the bench. */
const workspace = new Map(
  [...production, ...packagesIn('packages'), read('bench/package.json')].map(
    pkg => [pkg.name, pkg],
  ),
);
/** The production libraries: the only workspaces a production package may name. */
const libraries = new Set(
  production
    .filter(pkg => LIBRARY_ROLES.includes(pkg.backstage?.role ?? ''))
    .map(pkg => pkg.name),
);

/**
 * Issue #18: a plugin package never depends on another plugin or module, even
 * in its tests (devDependencies); scenarios that need several of them live in
 * this test-only workspace. `backstage-cli repo lint` then refuses any import
 * of an undeclared package (@backstage/no-undeclared-imports).
 */
describe('workspace layering', () => {
  it('should find the production packages under plugins/', () => {
    expect(production.length).toBeGreaterThanOrEqual(6);
  });

  it.each(production.map(pkg => [pkg.name, pkg]))(
    '%s should depend on no plugin, module or test-only workspace',
    (_name, pkg) => {
      const offending = FIELDS.flatMap(field =>
        Object.keys(pkg[field] ?? {})
          .filter(dependency => !libraries.has(dependency))
          .map(dependency => workspace.get(dependency))
          .filter((dependency): dependency is PackageJson => !!dependency)
          .map(
            dependency =>
              `${field}: ${dependency.name} (${
                dependency.backstage?.role ?? 'no role'
              })`,
          ),
      );
      expect(offending).toEqual([]);
    },
  );

  // A path into another package's folder (its src/, its fixtures) is a
  // dependency on its internals that no package.json shows.
  it.each(pluginFolders().map(folder => [folder]))(
    'plugins/%s should read no file of another package',
    folder => {
      const others = pluginFolders().filter(other => other !== folder);
      // A relative path (`../../other/src`) or a package path into src/.
      const reach = new RegExp(
        `(\\.\\./(${others.join('|')})/)|(/backstage-plugin-[\\w-]+/src/)`,
      );
      const offending = sourceFiles(
        resolve(REPO, 'plugins', folder, 'src'),
      ).flatMap(file =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, index }))
          .filter(({ line }) => reach.test(line))
          .map(({ index }) => `${file.slice(REPO.length + 1)}:${index + 1}`),
      );
      expect(offending).toEqual([]);
    },
  );
});

function pluginFolders(): string[] {
  return readdirSync(resolve(REPO, 'plugins'), { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}
