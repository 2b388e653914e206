import type { KeyMappingDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { formatKeyMapping } from './formatKeyMapping';

const esStore = { kind: 'ClusterSecretStore', name: 'infisical' };

describe('formatKeyMapping', () => {
  it.each<[string, KeyMappingDto, string]>([
    [
      'a key with a property',
      {
        source: 'data[0]',
        secretKey: 'DB_PASSWORD',
        remoteKey: '/orders/db',
        property: 'password',
        state: 'synced',
      },
      'DB_PASSWORD ← infisical:/orders/db.password',
    ],
    [
      'a key without a property',
      {
        source: 'data[1]',
        secretKey: 'API_KEY',
        remoteKey: 'API_KEY',
        state: 'synced',
      },
      'API_KEY ← infisical:API_KEY',
    ],
    [
      'a key read from its own sourceRef store',
      {
        source: 'data[2]',
        secretKey: 'TOKEN',
        remoteKey: 'token',
        store: { kind: 'SecretStore', name: 'vault-local' },
        state: 'error',
      },
      'TOKEN ← vault-local:token',
    ],
    [
      'a dataFrom entry that produced no key yet',
      { source: 'dataFrom[0]', state: 'pending' },
      'dataFrom[0] ← infisical:dataFrom[0]',
    ],
  ])('should format %s', (_name, key, expected) => {
    expect(formatKeyMapping(key, esStore)).toBe(expected);
  });

  it('should leave the store out when neither the mapping nor the ExternalSecret names one', () => {
    expect(
      formatKeyMapping({
        source: 'template.data[URL]',
        secretKey: 'URL',
        state: 'synced',
      }),
    ).toBe('URL ← template.data[URL]');
  });
});
