import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import request from 'supertest';
import { parse } from 'yaml';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

/**
 * Hole 12 of issue #16, the `fake` provider's share: it was always
 * registered, so in production anyone who could create a ClusterSecretStore
 * (or an ExternalSecret naming one) with `provider.fake` got Secrets filled
 * with whatever the store spec said, from a backend that should only serve
 * real providers. It is now off unless `externalSecrets.providers.fake.enabled`.
 */

const NS = 'payments';
const CANARY = 'canary-fake-value-3e7d';

const CHECKOUT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const FAKE_STORE = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'fake-store' },
  spec: {
    provider: { fake: { data: [{ key: 'DB_PASSWORD', value: CANARY }] } },
  },
};

const EXTERNAL_SECRET = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: {
    name: 'db',
    namespace: NS,
    labels: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: {
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake-store' },
    target: { name: 'db' },
    data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
  },
};

const REPO_ROOT = resolve(__dirname, '../../../..');
const readAppConfig = (name: string) =>
  parse(readFileSync(resolve(REPO_ROOT, name), 'utf8'));

describe('hole 12: the fake provider is off unless configured', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.reset();
    sim.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      FAKE_STORE,
      EXTERNAL_SECRET,
    );
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function status(b: ReconcilerTestBackend) {
    const res = await request(b.server).get(
      '/api/external-secrets/entities/component/default/checkout/status',
    );
    expect(res.status).toBe(200);
    return (res.body.externalSecrets as any[]).find(es => es.name === 'db');
  }

  it('should report a ClusterSecretStore with provider.fake as "not installed" and write no Secret when the key is absent', async () => {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      fakeProvider: false,
    });

    await backend.runCycle();
    const db = await status(backend);

    expect(db.state).toBe('Error');
    expect(db.message).toContain(
      'ClusterSecretStore fake-store uses provider "fake", which is not installed',
    );
    expect(sim.get({ kind: 'Secret', namespace: NS, name: 'db' })).toBe(
      undefined,
    );
    expect(JSON.stringify(db)).not.toContain(CANARY);
  });

  it('should serve the fake store when externalSecrets.providers.fake.enabled is true', async () => {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      fakeProvider: true,
    });

    await backend.runCycle();

    expect(await status(backend)).toMatchObject({ state: 'Synced' });
    expect(sim.get({ kind: 'Secret', namespace: NS, name: 'db' })).toBeTruthy();
  });

  it('should enable it in the demo app-config and never in the production image, which loads both files', () => {
    const demo = readAppConfig('app-config.yaml');
    // packages/backend/Dockerfile: --config app-config.yaml --config app-config.production.yaml
    const image = ConfigReader.fromConfigs([
      { context: 'app-config.yaml', data: demo },
      {
        context: 'app-config.production.yaml',
        data: readAppConfig('app-config.production.yaml'),
      },
    ]);

    expect(demo.externalSecrets.providers.fake.enabled).toBe(true);
    expect(
      image.getOptionalBoolean('externalSecrets.providers.fake.enabled'),
    ).toBe(false);
    expect(image.getOptionalBoolean('externalSecretsDemo.enabled')).toBe(false);
    expect(image.getConfigArray('externalSecrets.stores')).toEqual([]);
    expect(image.getConfigArray('externalSecrets.manifests.clusters')).toEqual(
      [],
    );
  });
});
