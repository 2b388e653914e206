import { mockServices } from '@backstage/backend-test-utils';
import type { FakeProviderSpec } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  isProviderError,
  type ProviderError,
} from '../../provider/ProviderError';
import type { StoreContext } from '../../provider/types';
import { fakeStore } from '../../testUtils/fakeStore';
import { createFakeProvider } from './createFakeProvider';

const context = {
  logger: mockServices.logger.mock(),
} as unknown as StoreContext;
const DATA: FakeProviderSpec['data'] = [
  { key: 'MY_SECRET_NAME', value: 'seed-value' },
  { key: 'DB_USER', value: 'u' },
  { key: 'DB_PASS', value: 'p1', version: 'v1' },
  { key: 'DB_PASS', value: 'p2', version: 'v2' },
  { key: 'app/config', valueMap: { b: '2', a: '1' } },
];

async function client(data = DATA) {
  return createFakeProvider().newClient(fakeStore(data), context);
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (e) {
    if (isProviderError(e)) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

describe('createFakeProvider', () => {
  it('should be named fake and declare what it can do', () => {
    const provider = createFakeProvider();
    expect(provider.name).toBe('fake');
    expect(provider.capabilities).toEqual({
      readScope: true,
      versions: true,
      find: { path: true, nameRegexp: true, tags: false },
    });
  });

  describe('getSecret', () => {
    it.each([
      [{ key: 'MY_SECRET_NAME' }, 'seed-value', undefined],
      [{ key: 'DB_PASS', version: 'v1' }, 'p1', 'v1'],
      [{ key: 'DB_PASS', version: 'v2' }, 'p2', 'v2'],
      [{ key: 'app/config' }, '{"a":"1","b":"2"}', undefined],
    ])('should return %j', async (ref, value, version) => {
      const secret = await (await client()).getSecret(ref);
      expect(secret.value.text()).toBe(value);
      expect(secret.version).toBe(version);
    });

    it.each([
      [
        { key: 'NOPE' },
        'key "NOPE" does not exist in fake store ClusterSecretStore/infisical-archon-platform',
      ],
      [{ key: 'DB_PASS' }, 'key "DB_PASS" does not exist'],
      [
        { key: 'DB_PASS', version: 'v9' },
        'key "DB_PASS" version "v9" does not exist',
      ],
    ])(
      'should prove %j is gone, since the store data is authoritative',
      async (ref, message) => {
        const error = await failure((await client()).getSecret(ref));
        expect(error.errorType).toBe('KEY_NOT_FOUND');
        expect(error.provesKeyIsGone).toBe(true);
        expect(error.message).toContain(message);
        expect(error.details).toMatchObject({
          provider: 'fake',
          key: ref.key,
          store: 'ClusterSecretStore/infisical-archon-platform',
        });
      },
    );
  });

  describe('findSecrets', () => {
    it.each([
      [
        'name.regexp',
        { name: { regexp: '^DB_' } },
        { DB_USER: 'u', DB_PASS: 'p2' },
      ],
      [
        'an unanchored name.regexp',
        { name: { regexp: 'SECRET' } },
        { MY_SECRET_NAME: 'seed-value' },
      ],
      [
        'a path prefix',
        { path: 'app/' },
        { 'app/config': '{"a":"1","b":"2"}' },
      ],
      ['both', { path: 'DB', name: { regexp: 'USER$' } }, { DB_USER: 'u' }],
      ['a pattern that matches nothing', { name: { regexp: '^ZZZ' } }, {}],
    ])(
      'should find by %s, returning the latest version of each key',
      async (_name, find, expected) => {
        const found = await (
          await client()
        ).findSecrets({ decodingStrategy: 'None', ...find });
        expect(
          Object.fromEntries([...found].map(([k, v]) => [k, v.value.text()])),
        ).toEqual(expected);
      },
    );

    it('should refuse tags as unsupported', async () => {
      const error = await failure(
        (
          await client()
        ).findSecrets({ decodingStrategy: 'None', tags: { env: 'prod' } }),
      );
      expect(error.errorType).toBe('UNSUPPORTED');
      expect(error.message).toContain(
        'find.tags is not supported by the fake provider',
      );
    });

    it('should report an invalid name.regexp', async () => {
      const error = await failure(
        (
          await client()
        ).findSecrets({ decodingStrategy: 'None', name: { regexp: '(?=x)' } }),
      );
      expect(error.errorType).toBe('INVALID_REQUEST');
    });
  });

  it('should return every key from readScope', async () => {
    const scope = await (await client()).readScope!();
    expect([...scope.keys()].sort()).toEqual([
      'DB_PASS',
      'DB_USER',
      'MY_SECRET_NAME',
      'app/config',
    ]);
  });

  it('should list each key name once, sorted, whatever its versions, as the complete list', async () => {
    await expect((await client()).listKeyNames!()).resolves.toEqual({
      keys: ['DB_PASS', 'DB_USER', 'MY_SECRET_NAME', 'app/config'],
      complete: true,
    });
  });

  it('should let a later entry with the same key and version win, as ESO does', async () => {
    const secret = await (
      await client([
        { key: 'K', value: 'first' },
        { key: 'K', value: 'second' },
      ])
    ).getSecret({ key: 'K' });
    expect(secret.value.text()).toBe('second');
  });

  describe('validateStoreSpec', () => {
    it('should accept the demo data', () => {
      expect(createFakeProvider().validateStoreSpec(fakeStore(DATA))).toEqual(
        [],
      );
    });

    it.each([
      [[{ key: '', value: 'v' }], 'spec.provider.fake.data[0].key', 'error'],
      [[{ key: 'K' }], 'spec.provider.fake.data[0].value', 'error'],
      [
        [
          { key: 'K', value: 'a' },
          { key: 'K', value: 'b' },
        ],
        'spec.provider.fake.data[1].key',
        'warning',
      ],
    ])('should report %j at %s', (data, path, severity) => {
      expect(createFakeProvider().validateStoreSpec(fakeStore(data))).toEqual([
        expect.objectContaining({ path, severity }),
      ]);
    });

    it('should report a store without spec.provider.fake', () => {
      const store = { ...fakeStore([]), spec: { provider: {} } };
      expect(createFakeProvider().validateStoreSpec(store)).toEqual([
        expect.objectContaining({ path: 'spec.provider.fake' }),
      ]);
    });
  });

  describe('validateStore', () => {
    it('should report a valid store as Ready', async () => {
      expect(
        await createFakeProvider().validateStore(fakeStore(DATA), context),
      ).toEqual({ ready: true, reason: 'Valid', message: 'store validated' });
    });

    it('should report a broken store with the field path', async () => {
      const result = await createFakeProvider().validateStore(
        fakeStore([{ key: 'K' }]),
        context,
      );
      expect(result).toEqual({
        ready: false,
        reason: 'InvalidProviderConfig',
        message:
          'spec.provider.fake.data[0].value: at least one of value or valueMap must be set',
      });
    });
  });
});
