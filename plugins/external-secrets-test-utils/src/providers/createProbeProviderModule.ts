import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  externalSecretsProvidersExtensionPoint,
  SecretsProvider,
  SecretValue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

/** The URL a probe store "contacts": `spec.provider.probe.url`. */
function probeUrlOf(store: { spec: { provider: Record<string, unknown> } }) {
  return (store.spec.provider.probe as { url: string }).url;
}

/**
 * A backend module adding the `probe` provider, for tests of the guards that
 * decide whether a store may be contacted at all (the SSRF guard). A store
 * `spec.provider.probe: { url }` declares `url` as its endpoint; the provider
 * opens no connection, but pushes `url` onto `contacted` wherever a real
 * provider would open one (validating the store, creating a client), so a
 * test sees whether a request would have reached the host. Reads answer the
 * value `probe-value`.
 *
 * @public
 */
export function createProbeProviderModule(contacted: string[]): BackendFeature {
  const provider: SecretsProvider = {
    name: 'probe',
    capabilities: {
      readScope: false,
      versions: false,
      find: { path: false, nameRegexp: false, tags: false },
    },
    validateStoreSpec: () => [],
    endpoints: store => [probeUrlOf(store)],
    async validateStore(store) {
      contacted.push(probeUrlOf(store));
      return { ready: true, reason: 'Valid', message: 'reachable' };
    },
    async newClient(store) {
      contacted.push(probeUrlOf(store));
      return {
        getSecret: async () => ({
          value: SecretValue.fromString('probe-value'),
        }),
        findSecrets: async () => new Map(),
        close: async () => {},
      };
    },
  };
  return createBackendModule({
    pluginId: 'external-secrets',
    moduleId: 'probe-provider',
    register(env) {
      env.registerInit({
        deps: { providers: externalSecretsProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(provider);
        },
      });
    },
  });
}
