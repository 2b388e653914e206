import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { TestApiRegistry } from '@backstage/test-utils';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import { storeKeysResponse, storesResponse } from '../../__fixtures__/status';
import {
  mockExternalSecretsApi,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { validateExternalSecretMappings } from './validateExternalSecretMappings';
import type { ExternalSecretMappingsDraft } from './validateMappings';

const infisical = {
  kind: 'ClusterSecretStore',
  name: 'infisical',
  cluster: 'dev-cluster',
};

function value(
  data: ExternalSecretMappingsDraft['data'],
  store: ExternalSecretMappingsDraft['store'] = infisical,
): ExternalSecretMappingsDraft {
  return { store, data };
}

async function errorsOf(
  draft: ExternalSecretMappingsDraft | undefined,
  api = mockExternalSecretsApi({
    getStores: jest.fn(async () => storesResponse()),
    listStoreKeys: jest.fn(async () => storeKeysResponse()),
  }),
): Promise<string[]> {
  const validation = createFieldValidation();
  await validateExternalSecretMappings(draft, validation, {
    apiHolder: TestApiRegistry.from([externalSecretsApiRef, api]),
    formData: {},
    schema: {},
  });
  return validation.__errors ?? [];
}

describe('validateExternalSecretMappings', () => {
  it('should accept a Ready store with valid, unique mappings of listed keys', async () => {
    await expect(
      errorsOf(
        value([
          { secretKey: 'DB_PASSWORD', remoteRef: { key: 'DB_PASSWORD' } },
          {
            secretKey: 'orders.db-user',
            remoteRef: { key: 'orders/db', property: 'user' },
          },
        ]),
      ),
    ).resolves.toEqual([]);
  });

  it.each<[string, ExternalSecretMappingsDraft | undefined, string[]]>([
    ['an empty value', {}, ['Choose a store', 'Add at least one mapping']],
    [
      'a mapping without remote key nor secret key',
      value([{ secretKey: '', remoteRef: { key: ' ' } }]),
      [
        'Mapping 1: Remote key is required',
        'Mapping 1, secret key: Secret key is required',
      ],
    ],
    [
      'a secret key with a space',
      value([{ secretKey: 'db password', remoteRef: { key: 'DB_PASSWORD' } }]),
      [
        'Mapping 1, secret key: Use only letters, digits, "-", "_" and "." (^[-._a-zA-Z0-9]+$)',
      ],
    ],
    [
      'a secret key longer than 253 characters',
      value([
        { secretKey: 'k'.repeat(254), remoteRef: { key: 'DB_PASSWORD' } },
      ]),
      ['Mapping 1, secret key: At most 253 characters'],
    ],
    [
      'a secret key used twice',
      value([
        { secretKey: 'TOKEN', remoteRef: { key: 'API_TOKEN' } },
        { secretKey: 'OTHER', remoteRef: { key: 'DB_USER' } },
        { secretKey: 'TOKEN', remoteRef: { key: 'DB_PASSWORD' } },
      ]),
      ['Mapping 3, secret key: Already used by mapping 1'],
    ],
  ])('should reject %s', async (_name, draft, expected) => {
    await expect(errorsOf(draft)).resolves.toEqual(expected);
  });

  it("should not block a remote key outside the store's key list: the picker warns, the action checks it as the reconciler reads it", async () => {
    await expect(
      errorsOf(
        value([
          { secretKey: 'X', remoteRef: { key: '/payments/DB_PASSWORD' } },
        ]),
      ),
    ).resolves.toEqual([]);
  });

  it('should leave unknown keys to the action when the key list is truncated', async () => {
    const api = mockExternalSecretsApi({
      getStores: jest.fn(async () => storesResponse()),
      listStoreKeys: jest.fn(async () =>
        storeKeysResponse({ truncated: true }),
      ),
    });

    await expect(
      errorsOf(value([{ secretKey: 'X', remoteRef: { key: 'MISSING' } }]), api),
    ).resolves.toEqual([]);
  });

  it('should not block the form when the key names may not be read', async () => {
    const api = mockExternalSecretsApi({
      getStores: jest.fn(async () => storesResponse()),
      listStoreKeys: jest.fn(async () => {
        throw await responseError(403, 'Unauthorized', 'NotAllowedError');
      }),
    });

    await expect(
      errorsOf(value([{ secretKey: 'X', remoteRef: { key: 'MISSING' } }]), api),
    ).resolves.toEqual([]);
  });

  it.each([
    [
      'a store that is not Ready',
      {
        kind: 'SecretStore',
        name: 'infisical-payments',
        namespace: 'payments',
      },
      'Store SecretStore infisical-payments is not ready: InvalidProviderConfig: universal auth login failed: 401 invalid client secret',
    ],
    [
      'a store that is not configured',
      { kind: 'ClusterSecretStore', name: 'vault' },
      'Store ClusterSecretStore vault is not configured',
    ],
  ])('should reject %s', async (_name, store, expected) => {
    await expect(
      errorsOf(
        value([{ secretKey: 'X', remoteRef: { key: 'DB_USER' } }], store),
      ),
    ).resolves.toEqual([expected]);
  });
});
