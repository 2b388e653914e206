import { mockServices } from '@backstage/backend-test-utils';
import {
  SecretValue,
  StoreScope,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ClusterClient } from '../kubernetes/ClusterClient';
import {
  ConfiguredCredentials,
  credentialsKey,
} from '../config/readExternalSecretsConfig';
import { createStoreContext, storeScopeOf } from './StoreContextFactory';

const ADMIN_ONLY = 'canary-admin-credential-1b7e';

/** App-config credentials: `admin` without a namespace, `scoped` in external-secrets. */
const credentials: ConfiguredCredentials = new Map([
  [
    credentialsKey(undefined, 'admin'),
    new Map([['clientSecret', SecretValue.fromString(ADMIN_ONLY)]]),
  ],
  [
    credentialsKey('external-secrets', 'scoped'),
    new Map([['clientSecret', SecretValue.fromString('scoped-value')]]),
  ],
]);

/** A cluster whose Secrets all read as `cluster:<namespace>/<name>`. */
const cluster = {
  readSecretKey: async (ref: { namespace: string; name: string }) =>
    SecretValue.fromString(`cluster:${ref.namespace}/${ref.name}`),
  readConfigMapKey: async (ref: { namespace: string; name: string }) =>
    `cluster:${ref.namespace}/${ref.name}`,
} as unknown as ClusterClient;

function context(storeScope: StoreScope, namespace = 'team-b') {
  return createStoreContext({
    credentials,
    cluster,
    namespace,
    storeScope,
    logger: mockServices.logger.mock(),
  });
}

const read = async (
  scope: StoreScope,
  ref: { name: string; namespace?: string },
) =>
  (await context(scope).readSecretKey({ ...ref, key: 'clientSecret' })).text();

describe('storeScopeOf', () => {
  it.each([
    ['config', 'ClusterSecretStore', 'admin'],
    ['config', 'SecretStore', 'admin'],
    ['cluster', 'ClusterSecretStore', 'admin'],
    ['cluster', 'SecretStore', 'namespaced'],
  ] as const)('should call a %s %s %s', (origin, kind, scope) => {
    expect(storeScopeOf({ origin, kind })).toBe(scope);
  });
});

describe('createStoreContext', () => {
  describe('an admin store', () => {
    it('should resolve a ref without namespace to the un-namespaced app-config entry', async () => {
      expect(await read('admin', { name: 'admin' })).toBe(ADMIN_ONLY);
    });

    it('should resolve a ref to the namespace of an app-config entry exactly', async () => {
      expect(
        await read('admin', { name: 'scoped', namespace: 'external-secrets' }),
      ).toBe('scoped-value');
      // Not in the entry's namespace: the cluster's Secret, not the entry.
      expect(await read('admin', { name: 'scoped' })).toBe(
        'cluster:team-b/scoped',
      );
    });

    it('should not fall back to an un-namespaced entry for a ref naming another namespace', async () => {
      expect(await read('admin', { name: 'admin', namespace: 'other' })).toBe(
        'cluster:other/admin',
      );
    });
  });

  describe('a namespaced SecretStore', () => {
    it('should never resolve to app-config credentials', async () => {
      expect(await read('namespaced', { name: 'admin' })).toBe(
        'cluster:team-b/admin',
      );
      expect(
        await read('namespaced', { name: 'scoped', namespace: 'team-b' }),
      ).toBe('cluster:team-b/scoped');
    });

    it('should refuse a Secret or ConfigMap in another namespace', async () => {
      await expect(
        read('namespaced', { name: 'scoped', namespace: 'external-secrets' }),
      ).rejects.toThrow(
        'a namespaced SecretStore reads Secrets in its own namespace "team-b" only, not external-secrets/scoped',
      );
      await expect(
        context('namespaced').readConfigMapKey({
          name: 'ca',
          key: 'ca.crt',
          namespace: 'kube-system',
        }),
      ).rejects.toThrow('reads ConfigMaps in its own namespace');
    });
  });
});
