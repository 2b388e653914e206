import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  externalSecretsProvidersExtensionPoint,
  SecretsProvider,
  SecretValue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

const NS = 'team-a';
const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'web' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

/**
 * A provider that "contacts" `spec.provider.probe.url`: every call that would
 * open a connection is recorded with that URL, so a test sees whether a
 * request would have reached the host.
 */
function probeModule(contacted: string[]) {
  const urlOf = (store: { spec: { provider: Record<string, unknown> } }) =>
    (store.spec.provider.probe as { url: string }).url;
  const provider: SecretsProvider = {
    name: 'probe',
    capabilities: {
      readScope: false,
      versions: false,
      find: { path: false, nameRegexp: false, tags: false },
    },
    validateStoreSpec: () => [],
    endpoints: store => [urlOf(store)],
    async validateStore(store) {
      contacted.push(urlOf(store));
      return { ready: true, reason: 'Valid', message: 'reachable' };
    },
    async newClient(store) {
      contacted.push(urlOf(store));
      return {
        getSecret: async () => ({ value: SecretValue.fromString('value-1') }),
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

const secretStore = (name: string, url: string) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'SecretStore',
  metadata: { name, namespace: NS },
  spec: { provider: { probe: { url } } },
});

const externalSecret = (name: string, storeName: string) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: {
    name,
    namespace: NS,
    labels: { 'backstage.io/kubernetes-id': 'web' },
  },
  spec: {
    secretStoreRef: { name: storeName, kind: 'SecretStore' },
    target: { name },
    data: [{ secretKey: 'token', remoteRef: { key: 'TOKEN' } }],
  },
});

describe('SSRF guard for namespaced SecretStores', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.reset();
    sim.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function statuses(b: ReconcilerTestBackend) {
    const res = await request(b.server).get(
      '/api/external-secrets/entities/component/default/web/status',
    );
    expect(res.status).toBe(200);
    return Object.fromEntries(
      (res.body.externalSecrets as any[]).map(es => [es.name, es]),
    );
  }

  it('should refuse a namespaced SecretStore aimed at the metadata service, with the cause, and let the allowed one sync', async () => {
    const contacted: string[] = [];
    sim.seed(
      secretStore('metadata', 'http://169.254.169.254/latest/meta-data'),
      secretStore('allowed', 'https://infisical.example.com/api'),
      externalSecret('stolen', 'metadata'),
      externalSecret('app', 'allowed'),
    );
    backend = await startReconcilerTestBackend({
      sim,
      entities: [ENTITY],
      config: {
        security: { namespacedStoreHosts: ['infisical.example.com'] },
      },
      extraFeatures: [probeModule(contacted)],
    });

    await backend.runCycle();
    const byName = await statuses(backend);

    expect(byName.stolen).toMatchObject({
      state: 'Error',
      message: expect.stringContaining(
        'may not contact http://169.254.169.254: host "169.254.169.254" is not in externalSecrets.security.namespacedStoreHosts',
      ),
    });
    expect(byName.app).toMatchObject({ state: 'Synced' });
    expect(contacted.some(url => url.includes('169.254.169.254'))).toBe(false);
    expect(contacted).toContain('https://infisical.example.com/api');
    expect(sim.get({ kind: 'Secret', namespace: NS, name: 'stolen' })).toBe(
      undefined,
    );
  });

  it('should refuse every namespaced SecretStore that contacts a host when the allow-list is empty (the default)', async () => {
    const contacted: string[] = [];
    sim.seed(
      secretStore('allowed', 'https://infisical.example.com/api'),
      externalSecret('app', 'allowed'),
    );
    backend = await startReconcilerTestBackend({
      sim,
      entities: [ENTITY],
      extraFeatures: [probeModule(contacted)],
    });

    await backend.runCycle();
    const byName = await statuses(backend);

    expect(byName.app).toMatchObject({
      state: 'Error',
      message: expect.stringContaining('(the list is empty)'),
    });
    expect(contacted).toEqual([]);
  });
});
