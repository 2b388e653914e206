import fc from 'fast-check';
import type { ExternalSecretRewrite } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { fakeStore } from '../testUtils/fakeStore';
import { parsedExternalSecret } from '../testUtils/parsedExternalSecret';
import { syncWithFake } from '../testUtils/syncWithFake';
import { convertKey, secretKeyProblem } from './secretKeys';

/**
 * The key resolver: remote names found by `dataFrom[].find` become Secret keys
 * through `rewrite` or `conversionStrategy`, then key checks. Whatever the
 * remote names, it must not throw, must be deterministic, and every remote name
 * must end up either as a key Kubernetes accepts or as a failed key naming it.
 */

/** Kubernetes' `IsConfigMapKey` (Secret keys): pattern, length, no `.`/`..` prefix. */
function kubernetesAcceptsKey(key: string): boolean {
  return (
    key.length > 0 &&
    key.length <= 253 &&
    /^[-._a-zA-Z0-9]+$/.test(key) &&
    key !== '.' &&
    !key.startsWith('..')
  );
}

const remoteName = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.stringMatching(/^[A-Za-z0-9_.\-/ ]{1,12}$/),
  fc.constantFrom('.', '..', '...', '..env', 'a/b', 'a b', 'ключ', '🔥'),
);
const remoteNames = fc.uniqueArray(remoteName, { minLength: 1, maxLength: 6 });

const REWRITES: [string, ExternalSecretRewrite[] | undefined][] = [
  ['no rewrite (conversionStrategy Default)', undefined],
  [
    'a prefixing rewrite',
    [{ regexp: { source: '^(.*)$', target: 'app-${1}' } }],
  ],
  [
    'a rewrite that strips separators',
    [{ regexp: { source: '[/ ]', target: '' } }],
  ],
];

async function resolve(names: string[], rewrite?: ExternalSecretRewrite[]) {
  const parsed = parsedExternalSecret({
    dataFrom: [{ find: { name: { regexp: '.*' } }, rewrite }],
  });
  const store = fakeStore(names.map(key => ({ key, value: `v:${key}` })));
  return syncWithFake({ parsed, stores: [store] });
}

describe('key resolution properties', () => {
  it.each(REWRITES)(
    'should, with %s, be deterministic and account for every remote name',
    async (_label, rewrite) => {
      await fc.assert(
        fc.asyncProperty(remoteNames, async names => {
          const first = await resolve(names, rewrite);
          const second = await resolve(names, rewrite);

          expect(second.keys).toEqual(first.keys);
          expect(second.desired?.data).toEqual(first.desired?.data);
          for (const name of names) {
            const statuses = first.keys.filter(k => k.remoteKey === name);
            expect([name, statuses.length > 0]).toEqual([name, true]);
            for (const status of statuses) {
              // A name rewritten to "" is dropped with a note naming it (ESO's ValidateKeys).
              const accounted =
                status.state === 'synced' && status.secretKey !== undefined
                  ? first.desired?.data?.[status.secretKey!] !== undefined
                  : Boolean(status.message?.includes(name));
              expect([name, status.state, accounted]).toEqual([
                name,
                status.state,
                true,
              ]);
            }
          }
        }),
        { numRuns: 150 },
      );
    },
  );

  it.each(REWRITES)(
    'should, with %s, only ever write keys Kubernetes accepts',
    async (_label, rewrite) => {
      await fc.assert(
        fc.asyncProperty(remoteNames, async names => {
          const result = await resolve(names, rewrite);
          const written = Object.keys(result.desired?.data ?? {});

          expect(written.filter(key => !kubernetesAcceptsKey(key))).toEqual([]);
        }),
        { numRuns: 150 },
      );
    },
  );

  it.each([
    'constructor',
    'valueOf',
    'toString',
    '__proto__',
    'hasOwnProperty',
  ])('should sync a remote secret named %s like any other name', async name => {
    const result = await resolve([name, 'OTHER']);

    expect(Object.keys(result.desired?.data ?? {}).sort()).toEqual(
      [name, 'OTHER'].sort(),
    );
  });

  it('should convert any name to letters, digits, "-", "." and "_" only, the same way every time', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.constantFrom('Default' as const, 'Unicode' as const),
        (name, strategy) => {
          const converted = convertKey(strategy, name);

          expect(convertKey(strategy, name)).toBe(converted);
          expect(converted).toMatch(/^[\p{L}\p{N}\-._]*$/u);
        },
      ),
    );
  });

  it('should report a problem for exactly the keys Kubernetes refuses', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.stringMatching(/^[-._a-zA-Z0-9]{0,5}$/),
        ),
        key => {
          expect([key, secretKeyProblem(key) === undefined]).toEqual([
            key,
            kubernetesAcceptsKey(key),
          ]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
