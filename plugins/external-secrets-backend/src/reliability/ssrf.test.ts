import { Entity } from '@backstage/catalog-model';
import { createProbeProviderModule } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
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
      extraFeatures: [createProbeProviderModule(contacted)],
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
      extraFeatures: [createProbeProviderModule(contacted)],
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
