import { mockServices } from '@backstage/backend-test-utils';
import {
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  ProviderError,
  SecretsClient,
  SecretsProvider,
  SecretValue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { StatusStore } from '../database/StatusStore';
import { ClusterRegistry } from '../reconciler/ClusterRegistry';
import { ProviderRegistry } from '../reconciler/ProviderRegistry';
import { StoreKeyLister } from './StoreKeyLister';

const CANARY = 'canary-lister-VALUE-91d3-never-print';
const ADDRESS = {
  cluster: '',
  kind: 'ClusterSecretStore',
  namespace: '',
  name: 'vault',
};

const STORE: SecretStore = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'vault' },
  spec: { provider: { scripted: {} } },
} as unknown as SecretStore;

function lister(client: Partial<SecretsClient>, maxKeys?: number) {
  const close = jest.fn(async () => {});
  const provider: SecretsProvider = {
    name: 'scripted',
    capabilities: {
      readScope: false,
      versions: false,
      find: { path: false, nameRegexp: false, tags: false },
    },
    validateStoreSpec: () => [],
    validateStore: async () => ({ ready: true, reason: 'Valid', message: '' }),
    newClient: async () =>
      ({
        getSecret: jest.fn(),
        findSecrets: jest.fn(),
        close,
        ...client,
      } as SecretsClient),
  };
  const providers = new ProviderRegistry();
  providers.add(provider);
  const statusStore = {
    listStores: async () => [
      { ...ADDRESS, kind: 'ClusterSecretStore', origin: 'config', ready: true },
    ],
  } as unknown as StatusStore;
  const keys = new StoreKeyLister({
    statusStore,
    configStores: [STORE],
    clusters: new ClusterRegistry(),
    providers,
    credentials: new Map(),
    logger: mockServices.logger.mock(),
    maxKeys,
  });
  return { keys, close };
}

describe('StoreKeyLister', () => {
  it('should cap the names at maxKeys and say the list is truncated and incomplete, and why', async () => {
    const { keys } = lister(
      {
        listKeyNames: async () => ({
          keys: ['D', 'B', 'A', 'C', 'B'],
          complete: true,
        }),
      },
      3,
    );

    await expect(keys.listKeyNames(ADDRESS)).resolves.toEqual({
      store: ADDRESS,
      keys: ['A', 'B', 'C'],
      truncated: true,
      complete: false,
      message:
        'ClusterSecretStore vault (app-config) can read 4 keys; the first 3 are listed (externalSecrets.storeKeys.maxKeys). Other keys can still be typed.',
    });
  });

  it('should call a listing complete only when the provider says it is', async () => {
    const reason =
      'the identity may not list the whole environment; only /app is listed';
    const { keys } = lister({
      listKeyNames: async () => ({
        keys: ['A'],
        complete: false,
        incompleteReason: reason,
      }),
    });

    await expect(keys.listKeyNames(ADDRESS)).resolves.toEqual({
      store: ADDRESS,
      keys: ['A'],
      truncated: false,
      complete: false,
      message: `ClusterSecretStore vault (app-config): ${reason}`,
    });
  });

  it('should fall back to readScope, keeping only the names, and close the client', async () => {
    const { keys, close } = lister({
      readScope: async () =>
        new Map([
          ['B', { value: SecretValue.fromString(CANARY) }],
          ['A', { value: SecretValue.fromString(CANARY) }],
        ]),
    });

    const body = await keys.listKeyNames(ADDRESS);

    expect(body.keys).toEqual(['A', 'B']);
    expect(body.complete).toBe(true);
    expect(JSON.stringify(body)).not.toContain(CANARY);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('should answer 501 when the provider can neither list names nor read its scope', async () => {
    const { keys } = lister({});

    const error = await keys.listKeyNames(ADDRESS).catch(e => e);

    expect(error).toBeInstanceOf(NotImplementedError);
    expect(error.message).toBe(
      'ClusterSecretStore vault (app-config): provider "scripted" cannot list key names',
    );
  });

  it('should answer 503 with the provider’s cause when listing fails, and still close the client', async () => {
    const { keys, close } = lister({
      listKeyNames: async () => {
        throw new ProviderError('UNAVAILABLE', 'HTTP 502 from the backend', {
          provider: 'scripted',
        });
      },
    });

    const error = await keys.listKeyNames(ADDRESS).catch(e => e);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      'ClusterSecretStore vault (app-config): listing its keys failed: HTTP 502 from the backend',
    );
    expect(close).toHaveBeenCalledTimes(1);
  });

  describe('checkKeys', () => {
    let listed = 0;
    const listings = (values: Record<string, string>) => async () => {
      listed += 1;
      return { keys: Object.keys(values), complete: true };
    };
    beforeEach(() => {
      listed = 0;
    });
    const missing = (key: string, similarKeys: string[] = []) =>
      new ProviderError('KEY_NOT_FOUND', `key "${key}" does not exist`, {
        provider: 'scripted',
        key,
        folderExists: true,
        similarKeys,
      });
    const store = (values: Record<string, string>) =>
      lister({
        getSecret: async ({ key }) => {
          if (key in values)
            return { value: SecretValue.fromString(values[key]) };
          throw missing(
            key,
            key === '/payments/DB_PASWORD' ? ['/payments/DB_PASSWORD'] : [],
          );
        },
        listKeyNames: listings(values),
      });

    it('should say which keys the reconciler can read, resolving each through the provider, without a value', async () => {
      const { keys, close } = store({
        '/payments/DB_PASSWORD': CANARY,
        MY_SECRET_NAME: CANARY,
      });

      const body = await keys.checkKeys(ADDRESS, [
        '/payments/DB_PASSWORD',
        '/payments/NOPE',
      ]);

      expect(body).toEqual({
        store: ADDRESS,
        results: [
          { key: '/payments/DB_PASSWORD', readable: true, suggestions: [] },
          {
            key: '/payments/NOPE',
            readable: false,
            message: 'KEY_NOT_FOUND: key "/payments/NOPE" does not exist',
            suggestions: [],
          },
        ],
      });
      expect(JSON.stringify(body)).not.toContain(CANARY);
      expect(close).toHaveBeenCalledTimes(1);
    });

    it("should suggest the nearest names: the provider's, the listing's (listed once for all keys), and the same name in another folder", async () => {
      const { keys } = store({
        '/payments/DB_PASSWORD': CANARY,
        MY_SECRET_NAME: CANARY,
      });

      const body = await keys.checkKeys(ADDRESS, [
        '/payments/DB_PASWORD',
        'MY_SECRET_NAM',
        'DB_PASSWORD',
      ]);

      expect(body.results.map(r => [r.key, r.suggestions])).toEqual([
        ['/payments/DB_PASWORD', ['/payments/DB_PASSWORD']],
        ['MY_SECRET_NAM', ['MY_SECRET_NAME']],
        ['DB_PASSWORD', ['/payments/DB_PASSWORD']],
      ]);
      expect(listed).toBe(1);
    });

    it('should answer 503 when the provider cannot answer now, rather than call a key missing', async () => {
      const { keys } = lister({
        getSecret: async () => {
          throw new ProviderError('UNAVAILABLE', 'HTTP 502 from the backend', {
            provider: 'scripted',
          });
        },
      });

      const error = await keys.checkKeys(ADDRESS, ['A']).catch(e => e);

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        'ClusterSecretStore vault (app-config): checking key "A" failed: HTTP 502 from the backend',
      );
    });
  });
});
