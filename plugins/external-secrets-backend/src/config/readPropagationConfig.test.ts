import { ConfigReader } from '@backstage/config';
import { readPropagationConfig } from './readPropagationConfig';

const read = (propagation: object) =>
  readPropagationConfig(new ConfigReader({ externalSecrets: { propagation } }));

describe('readPropagationConfig', () => {
  it('should opt no store in by default', () => {
    expect(readPropagationConfig(new ConfigReader({}))).toEqual({
      stores: [],
      webhooks: {},
    });
  });

  it('should read a store entry with its poll interval and the webhook secret', () => {
    const config = read({
      stores: [
        {
          kind: 'ClusterSecretStore',
          name: 'infisical',
          webhook: true,
          pollInterval: '30s',
        },
      ],
      webhooks: {
        infisical: { signingSecret: 'canary-signing-1', maxAge: '2m' },
      },
    });
    expect(config.stores).toEqual([
      {
        kind: 'ClusterSecretStore',
        name: 'infisical',
        cluster: undefined,
        namespace: undefined,
        webhook: true,
        pollIntervalMs: 30_000,
      },
    ]);
    expect(config.webhooks.infisical?.maxAgeMs).toBe(120_000);
    expect(JSON.stringify(config)).not.toContain('canary-signing-1');
  });

  it.each([
    [
      'a webhook store without the signing secret',
      { stores: [{ kind: 'ClusterSecretStore', name: 's', webhook: true }] },
      'externalSecrets.propagation.webhooks.infisical.signingSecret is not set',
    ],
    [
      'a poll interval below 10s',
      {
        stores: [{ kind: 'ClusterSecretStore', name: 's', pollInterval: '1s' }],
      },
      'externalSecrets.propagation.stores[0].pollInterval: must be at least 10s',
    ],
    [
      'a poll interval that is not a duration',
      {
        stores: [
          { kind: 'ClusterSecretStore', name: 's', pollInterval: 'soon' },
        ],
      },
      'stores[0].pollInterval: not a duration',
    ],
    [
      'an entry that opts into nothing',
      { stores: [{ kind: 'ClusterSecretStore', name: 's' }] },
      'stores[0]: opts into nothing',
    ],
    [
      'an unknown kind',
      {
        stores: [
          { kind: 'Store', name: 's', webhook: false, pollInterval: '1m' },
        ],
      },
      'stores[0].kind: must be SecretStore or ClusterSecretStore',
    ],
  ])('should refuse %s, naming the key', (_name, propagation, message) => {
    expect(() => read(propagation)).toThrow(message);
  });
});
