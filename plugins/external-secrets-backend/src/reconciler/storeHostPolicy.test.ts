import { mockServices } from '@backstage/backend-test-utils';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  createFakeProvider,
  isProviderError,
  SecretsProvider,
  SecretValue,
  StoreContext,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ProviderRegistry } from './ProviderRegistry';
import { StoreAddressPolicy } from './storeAddressPolicy';
import {
  guardProvider,
  guardProviderRegistry,
  parseHostPattern,
  StoreHostPolicy,
} from './storeHostPolicy';

const KEY = 'externalSecrets.security.namespacedStoreHosts';

function store(
  url: string,
  kind: SecretStore['kind'] = 'SecretStore',
): SecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: {
      name: 'vault',
      ...(kind === 'SecretStore' ? { namespace: 'team-a' } : {}),
    },
    spec: { provider: { probe: { url } } },
  };
}

/** A provider that records every call that could reach the network. */
function probeProvider(options: { declaresHosts?: boolean } = {}) {
  const calls: string[] = [];
  const provider: SecretsProvider = {
    name: 'probe',
    capabilities: {
      readScope: false,
      versions: false,
      find: { path: false, nameRegexp: false, tags: false },
    },
    validateStoreSpec: () => [],
    ...(options.declaresHosts === false
      ? {}
      : {
          endpoints: (s: SecretStore) => [
            (s.spec.provider.probe as { url: string }).url,
          ],
        }),
    async validateStore(s) {
      calls.push(`validate ${s.metadata.name}`);
      return { ready: true, reason: 'Valid', message: 'ok' };
    },
    async newClient(s) {
      calls.push(`connect ${s.metadata.name}`);
      return {
        getSecret: async () => ({ value: SecretValue.fromString('v') }),
        findSecrets: async () => new Map(),
        close: async () => {},
      };
    },
  };
  return { provider, calls };
}

const context: StoreContext = {
  namespace: 'team-a',
  storeScope: 'namespaced',
  logger: mockServices.logger.mock(),
  readSecretKey: async () => SecretValue.fromString(''),
  readConfigMapKey: async () => '',
};

describe('parseHostPattern', () => {
  it.each([
    '*',
    'infisical.example.com',
    'infisical.example.com:8443',
    'infisical.example.com:*',
    '*.corp.example',
    '10.0.0.5',
    '[fd00::1]:8443',
  ])('should accept %s', pattern => {
    expect(() => parseHostPattern(pattern)).not.toThrow();
  });

  it.each(['https://host', 'host/path', 'user@host', 'host:port', '', '*.'])(
    'should refuse "%s", naming the config key',
    pattern => {
      expect(() => parseHostPattern(pattern)).toThrow(
        `${KEY}: "${pattern}" is not a host pattern`,
      );
    },
  );
});

describe('StoreHostPolicy', () => {
  const { provider } = probeProvider();

  it.each([
    ['infisical.example.com', 'https://infisical.example.com/api', true],
    ['infisical.example.com', 'https://INFISICAL.example.com./api', true],
    ['infisical.example.com', 'https://infisical.example.com:8443/api', false],
    ['infisical.example.com:8443', 'https://infisical.example.com:8443', true],
    ['infisical.example.com:*', 'http://infisical.example.com:9000', true],
    ['infisical.example.com', 'https://evil-infisical.example.com', false],
    ['infisical.example.com', 'https://infisical.example.com.evil.io', false],
    ['*.corp.example', 'https://vault.eu.corp.example/api', true],
    ['*.corp.example', 'https://corp.example/api', false],
    ['*.corp.example', 'https://corp.example.evil.io', false],
    ['203.0.113.5', 'https://203.0.113.5/api', true],
    ['10.0.0.5', 'https://169.254.169.254/latest/meta-data', false],
    ['10.0.0.5', 'http://2852039166/', false],
    // Allowing a private or link-local address by host pattern is not enough
    // (it used to be): namespacedStorePrivateAddresses must allow it too.
    ['10.0.0.5', 'https://10.0.0.5/api', false],
    ['[fd00::1]:8443', 'https://[fd00::1]:8443/api', false],
    ['*', 'http://169.254.169.254/', false],
    ['*', 'http://[::ffff:169.254.169.254]/', false],
    ['*', 'https://infisical.example.com/api', true],
  ])('should, with %s allowed, admit %s: %s', (pattern, url, admitted) => {
    const policy = new StoreHostPolicy([pattern]);

    expect(policy.refusal(store(url), provider) === undefined).toBe(admitted);
  });

  it.each([
    ['10.0.0.5', '10.0.0.0/8', 'https://10.0.0.5/api'],
    ['[fd00::1]:8443', 'fd00::/8', 'https://[fd00::1]:8443/api'],
    ['10.0.0.5', '10.0.0.5', 'https://10.0.0.5/api'],
  ])(
    'should admit the private address %s when %s is in namespacedStorePrivateAddresses',
    (pattern, privateEntry, url) => {
      const policy = new StoreHostPolicy(
        [pattern],
        new StoreAddressPolicy([privateEntry]),
      );

      expect(policy.refusal(store(url), provider)).toBeUndefined();
    },
  );

  it('should name the link-local address, the metadata risk and the key to set when the host pattern admits it', () => {
    const refusal = new StoreHostPolicy(['169.254.169.254']).refusal(
      store('http://169.254.169.254/latest'),
      provider,
    );

    expect(refusal).toBe(
      'SecretStore team-a/vault may not contact http://169.254.169.254: 169.254.169.254 is a link-local address (cloud metadata services live there); namespaced SecretStores may not contact it unless an admin names the host, or a CIDR containing the address, in externalSecrets.security.namespacedStorePrivateAddresses',
    );
  });

  it('should refuse every namespaced SecretStore with an empty list, naming the host and the key to set', () => {
    const refusal = new StoreHostPolicy([]).refusal(
      store('http://169.254.169.254/latest'),
      provider,
    );

    expect(refusal).toBe(
      `SecretStore team-a/vault may not contact http://169.254.169.254: host "169.254.169.254" is not in ${KEY} (the list is empty); an admin adds the host there to allow namespaced SecretStores to reach it`,
    );
  });

  it('should not restrict a ClusterSecretStore', () => {
    const policy = new StoreHostPolicy([]);

    expect(
      policy.refusal(
        store('http://169.254.169.254/', 'ClusterSecretStore'),
        provider,
      ),
    ).toBeUndefined();
  });

  it('should not print credentials held in the endpoint URL', () => {
    const refusal = new StoreHostPolicy(['ok.example']).refusal(
      store('https://admin:canary-pw-77@internal.example/api?token=canary-q'),
      provider,
    );

    expect(refusal).toContain('https://internal.example');
    expect(refusal).not.toMatch(/canary/);
  });

  it('should refuse a provider that does not declare its hosts unless every host is allowed', () => {
    const { provider: silent } = probeProvider({ declaresHosts: false });
    const target = store('https://ok.example');

    expect(new StoreHostPolicy(['ok.example']).refusal(target, silent)).toBe(
      `SecretStore team-a/vault is refused: provider "probe" does not declare the hosts it contacts, so namespaced SecretStores may use it only when ${KEY} contains "*"`,
    );
    expect(new StoreHostPolicy(['*']).refusal(target, silent)).toBeUndefined();
  });

  it('should admit the fake provider, which contacts no host, with an empty list', () => {
    const fake = createFakeProvider();
    const fakeStore: SecretStore = {
      ...store(''),
      spec: { provider: { fake: { data: [] } } },
    };

    expect(new StoreHostPolicy([]).refusal(fakeStore, fake)).toBeUndefined();
  });
});

describe('guardProvider', () => {
  const policy = new StoreHostPolicy(['infisical.example.com']);
  const metadataStore = store('http://169.254.169.254/latest');

  it('should refuse a disallowed namespaced SecretStore in every call, without calling the provider', async () => {
    const { provider, calls } = probeProvider();
    const guarded = guardProvider(provider, policy, () => false);

    const issues = guarded.validateStoreSpec(metadataStore);
    const validation = await guarded.validateStore(metadataStore, context);
    const error = await guarded
      .newClient(metadataStore, context)
      .catch(e => e as Error);

    expect(issues).toEqual([
      {
        severity: 'error',
        path: 'spec.provider.probe',
        message: expect.stringMatching(
          /^spec\.provider\.probe: SecretStore team-a\/vault may not contact http:\/\/169\.254\.169\.254: /,
        ),
      },
    ]);
    expect(validation).toEqual({
      ready: false,
      reason: 'InvalidProviderConfig',
      message: expect.stringContaining(KEY),
    });
    expect(isProviderError(error) && error.errorType).toBe('INVALID_CONFIG');
    expect(isProviderError(error) && error.details.hint).toContain(KEY);
    expect(calls).toEqual([]);
  });

  it('should pass an allowed store, a ClusterSecretStore and a trusted store through', async () => {
    const { provider, calls } = probeProvider();
    const allowed = store('https://infisical.example.com/api');
    const cluster = store('http://169.254.169.254/', 'ClusterSecretStore');
    const trustedStore = store('http://10.1.1.1/');
    const guarded = guardProvider(provider, policy, s => s === trustedStore);

    for (const s of [allowed, cluster, trustedStore]) {
      expect(guarded.validateStoreSpec(s)).toEqual([]);
      await guarded.validateStore(s, context);
      await guarded.newClient(s, context);
    }

    expect(calls).toEqual([
      'validate vault',
      'connect vault',
      'validate vault',
      'connect vault',
      'validate vault',
      'connect vault',
    ]);
  });

  it('should hand the address guard to the provider for a namespaced SecretStore only', async () => {
    const seen: Array<[string, boolean]> = [];
    const { provider } = probeProvider();
    const recording: SecretsProvider = {
      ...provider,
      async validateStore(s, ctx) {
        seen.push([`validate ${s.kind}`, ctx.addressGuard !== undefined]);
        return provider.validateStore(s, ctx);
      },
      async newClient(s, ctx) {
        seen.push([`connect ${s.kind}`, ctx.addressGuard !== undefined]);
        return provider.newClient(s, ctx);
      },
    };
    const addresses = new StoreAddressPolicy([]);
    const trustedStore = store('https://infisical.example.com/api');
    const guarded = guardProvider(
      recording,
      new StoreHostPolicy(['infisical.example.com'], addresses),
      s => s === trustedStore,
    );

    for (const s of [
      store('https://infisical.example.com/api'),
      store('https://infisical.example.com/api', 'ClusterSecretStore'),
      trustedStore,
    ]) {
      await guarded.validateStore(s, context);
      await guarded.newClient(s, context);
    }

    expect(seen).toEqual([
      ['validate SecretStore', true],
      ['connect SecretStore', true],
      ['validate ClusterSecretStore', false],
      ['connect ClusterSecretStore', false],
      ['validate SecretStore', false],
      ['connect SecretStore', false],
    ]);
  });

  it('should guard every provider of a registry and trust the app-config stores by identity', async () => {
    const { provider, calls } = probeProvider();
    const registry = new ProviderRegistry();
    registry.add(provider);
    const configStore = store('http://10.1.1.1/');
    const guarded = guardProviderRegistry(registry, policy, [configStore]);

    await guarded.get('probe')!.newClient(configStore, context);
    const copy = structuredClone(configStore);
    const refused = await guarded
      .get('probe')!
      .newClient(copy, context)
      .catch(e => e as Error);

    expect(guarded.names()).toEqual(['probe']);
    expect(calls).toEqual(['connect vault']);
    expect(isProviderError(refused)).toBe(true);
  });
});
