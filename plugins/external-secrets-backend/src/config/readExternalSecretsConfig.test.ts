import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_SCHEDULE,
  readExternalSecretsConfig,
} from './readExternalSecretsConfig';

const CANARY = 'canary-config-secret-41c9';

describe('readExternalSecretsConfig', () => {
  it('should apply the defaults when nothing is configured', () => {
    const config = readExternalSecretsConfig(new ConfigReader({}));
    expect(config).toMatchObject({
      schedule: DEFAULT_SCHEDULE,
      controllerClass: 'backstage',
      concurrency: { providerReads: 8, kubernetesRequests: 32 },
      stores: [],
      syncNow: { maxPerEntityPerMinute: 6 },
      eventsPerExternalSecret: 50,
      security: { namespacedStoreHosts: [] },
    });
    expect(config.credentials.size).toBe(0);
  });

  it('should read the host allow-list for namespaced SecretStores', () => {
    const config = readExternalSecretsConfig(
      new ConfigReader({
        externalSecrets: {
          security: {
            namespacedStoreHosts: ['infisical.example.com', '*.corp.example:*'],
          },
        },
      }),
    );

    expect(config.security.namespacedStoreHosts).toEqual([
      'infisical.example.com',
      '*.corp.example:*',
    ]);
  });

  it('should refuse a host pattern that is not one at startup, naming the key', () => {
    expect(() =>
      readExternalSecretsConfig(
        new ConfigReader({
          externalSecrets: {
            security: { namespacedStoreHosts: ['https://host/path'] },
          },
        }),
      ),
    ).toThrow(
      'externalSecrets.security.namespacedStoreHosts: "https://host/path" is not a host pattern',
    );
  });

  it('should read the private-address allow-list and refuse a bad entry at startup, naming the key', () => {
    const read = (entries: string[]) =>
      readExternalSecretsConfig(
        new ConfigReader({
          externalSecrets: {
            security: { namespacedStorePrivateAddresses: entries },
          },
        }),
      );

    expect(
      read(['infisical.infra.svc', '10.96.0.0/12']).security
        .namespacedStorePrivateAddresses,
    ).toEqual(['infisical.infra.svc', '10.96.0.0/12']);
    expect(read([]).security.namespacedStorePrivateAddresses).toEqual([]);
    expect(() => read(['10.0.0.0/40'])).toThrow(
      'externalSecrets.security.namespacedStorePrivateAddresses: "10.0.0.0/40" is neither',
    );
  });

  it('should read the schedule, stores and credentials', () => {
    const config = readExternalSecretsConfig(
      new ConfigReader({
        externalSecrets: {
          schedule: { frequency: { seconds: 30 }, timeout: { minutes: 5 } },
          controllerClass: 'portal',
          stores: [
            {
              kind: 'ClusterSecretStore',
              metadata: { name: 'infisical-archon-platform' },
              spec: { provider: { fake: { data: [] } } },
            },
          ],
          credentials: [
            {
              namespace: 'external-secrets',
              name: 'infisical-universal-auth',
              data: { clientId: 'id-1', clientSecret: CANARY },
            },
          ],
        },
      }),
    );
    expect(config.schedule).toEqual({
      frequency: { seconds: 30 },
      timeout: { minutes: 5 },
    });
    expect(config.controllerClass).toBe('portal');
    expect(config.stores).toEqual([
      {
        configPath: 'externalSecrets.stores[0]',
        manifest: {
          kind: 'ClusterSecretStore',
          metadata: { name: 'infisical-archon-platform' },
          spec: { provider: { fake: { data: [] } } },
        },
      },
    ]);
    const creds = config.credentials.get(
      'external-secrets/infisical-universal-auth',
    );
    expect(creds?.get('clientSecret')?.text()).toBe(CANARY);
    expect(JSON.stringify([...creds!.entries()])).not.toContain(CANARY);
  });

  it.each([
    [
      { concurrency: { providerReads: 0 } },
      'externalSecrets.concurrency.providerReads: must be a whole number of at least 1, got 0',
    ],
    [
      { syncNow: { maxPerEntityPerMinute: 1.5 } },
      'externalSecrets.syncNow.maxPerEntityPerMinute: must be a whole number of at least 1, got 1.5',
    ],
    [
      {
        credentials: [
          { name: 'a', data: {} },
          { name: 'a', data: {} },
        ],
      },
      'externalSecrets.credentials[1]: duplicate credentials "/a"',
    ],
  ])(
    'should reject %j with a message naming the key',
    (externalSecrets, message) => {
      expect(() =>
        readExternalSecretsConfig(new ConfigReader({ externalSecrets })),
      ).toThrow(message);
    },
  );
});
