import fc from 'fast-check';
import {
  isWithinFolder,
  normalizeFolderPath,
  resolveSecretAddress,
} from './resolveSecretAddress';

/** Folder names and secret names as Infisical allows them (no `/`). */
const segment = fc.stringMatching(/^[A-Za-z0-9_\-.]{1,8}$/);
const name = segment.filter(s => s !== '.' && s !== '..');
const folder = fc
  .array(
    segment.filter(s => s !== '.' && s !== '..'),
    { maxLength: 4 },
  )
  .map(parts => `/${parts.join('/')}`);
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

describe('resolveSecretAddress properties', () => {
  it('should never throw, and be deterministic, on any scope path and key', () => {
    fc.assert(
      fc.property(anyText, anyText, (scope, key) => {
        const address = resolveSecretAddress(scope, key);

        expect(resolveSecretAddress(scope, key)).toEqual(address);
        expect(address.folder.startsWith('/')).toBe(true);
        expect(address.name.includes('/')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('should round-trip an absolute key: folder + "/" + name gives the address back', () => {
    fc.assert(
      fc.property(anyText, folder, name, (scope, path, secret) => {
        const key = `${path === '/' ? '' : path}/${secret}`;

        expect(resolveSecretAddress(scope, key)).toEqual({
          folder: path,
          name: secret,
        });
      }),
    );
  });

  it('should find a bare key in the scope path, and a relative key below it', () => {
    fc.assert(
      fc.property(
        folder,
        folder.filter(f => f !== '/'),
        name,
        (scope, sub, secret) => {
          const relative = `${sub.slice(1)}/${secret}`;
          const bare = resolveSecretAddress(scope, secret);
          const below = resolveSecretAddress(scope, relative);

          expect(bare).toEqual({ folder: scope, name: secret });
          expect(below.name).toBe(secret);
          expect(isWithinFolder(below.folder, scope)).toBe(true);
          expect(below.folder).toBe(
            normalizeFolderPath(`${scope}/${sub.slice(1)}`),
          );
        },
      ),
    );
  });

  it('should keep normalised folders stable: normalising twice changes nothing', () => {
    fc.assert(
      fc.property(anyText, path => {
        const once = normalizeFolderPath(path);

        expect(normalizeFolderPath(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
