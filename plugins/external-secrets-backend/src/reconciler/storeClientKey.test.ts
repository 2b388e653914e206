import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  readsCredentialsPerNamespace,
  storeClientKey,
  withoutCredentialNamespace,
} from './storeClientKey';

function store(
  kind: SecretStore['kind'],
  provider: Record<string, unknown>,
): SecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: {
      name: 'store',
      namespace: kind === 'SecretStore' ? 'a' : undefined,
    },
    spec: { provider },
  } as SecretStore;
}

const universal = (namespace?: string) => ({
  infisical: {
    hostAPI: 'https://infisical.example',
    auth: {
      universalAuthCredentials: {
        clientId: { name: 'creds', key: 'clientId', namespace },
        clientSecret: { name: 'creds', key: 'clientSecret', namespace },
      },
    },
  },
});

describe('readsCredentialsPerNamespace', () => {
  it('should be true for a ClusterSecretStore with a secretRef without namespace', () => {
    expect(
      readsCredentialsPerNamespace(store('ClusterSecretStore', universal())),
    ).toBe(true);
  });

  it('should find selectors nested in arrays, for any provider', () => {
    expect(
      readsCredentialsPerNamespace(
        store('ClusterSecretStore', {
          other: { auth: [{ secretRef: { name: 'x', key: 'y' } }] },
        }),
      ),
    ).toBe(true);
  });

  it.each([
    ['with namespaced refs', store('ClusterSecretStore', universal('es'))],
    [
      'without refs',
      store('ClusterSecretStore', {
        fake: { data: [{ key: 'k', value: 'v' }] },
      }),
    ],
    ['that is a SecretStore', store('SecretStore', universal())],
  ])('should be false for a store %s', (_, s) => {
    expect(readsCredentialsPerNamespace(s)).toBe(false);
  });
});

describe('storeClientKey', () => {
  const base = {
    cluster: 'c',
    origin: 'cluster' as const,
    kind: 'ClusterSecretStore',
    namespace: 'team-a',
    name: 'store',
  };

  it('should key a per-namespace ClusterSecretStore per namespace, and back to the store key', () => {
    const a = storeClientKey({ ...base, credentialNamespace: 'team-a' });
    const b = storeClientKey({ ...base, credentialNamespace: 'team-b' });
    expect(a).not.toBe(b);
    expect(withoutCredentialNamespace(a)).toBe(storeClientKey(base));
    expect(withoutCredentialNamespace(b)).toBe(storeClientKey(base));
  });

  it('should keep one key across namespaces otherwise', () => {
    expect(storeClientKey({ ...base, namespace: 'team-b' })).toBe(
      storeClientKey(base),
    );
  });
});
