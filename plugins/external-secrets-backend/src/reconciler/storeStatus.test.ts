import { Entity } from '@backstage/catalog-model';
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

/**
 * The store status a kubectl user reads, as ESO writes it for the stores it
 * controls (pkg/controllers/secretstore/common.go, reconcile/validateStore:
 * Ready=True reason Valid "store validated" with the provider's capabilities,
 * Ready=False InvalidProviderConfig / ValidationFailed otherwise). We write it
 * only for the stores we control, and only when it changes (issue #17 item 17).
 */

const NS = 'payments';
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

function store(spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'fake-store' },
    spec: {
      // Validation due every cycle, so the second cycle re-validates.
      refreshInterval: 0,
      provider: { fake: { data: [{ key: 'DB_PASSWORD', value: 'pw' }] } },
      ...spec,
    },
  };
}

describe('SecretStore status writes', () => {
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

  const storeStatus = () =>
    (sim.get({ kind: 'ClusterSecretStore', name: 'fake-store' }) as any)
      ?.status;
  const statusWrites = () =>
    sim.requests.filter(
      r => r.resource === 'clustersecretstores/status' && r.verb !== 'get',
    );

  it('should show Valid and Ready True with ReadOnly capabilities, written once', async () => {
    sim.seed(store());
    backend = await startReconcilerTestBackend({ sim, entities: [CHECKOUT] });
    await backend.runCycle();

    expect(storeStatus()).toMatchObject({
      capabilities: 'ReadOnly',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Valid',
          message: 'store validated',
        },
      ],
    });
    expect(storeStatus().conditions[0].lastTransitionTime).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    const statusWritesAfterFirstCycle = statusWrites().length;
    expect(statusWritesAfterFirstCycle).toBe(1);

    await backend.runCycle();
    expect(statusWrites()).toHaveLength(statusWritesAfterFirstCycle);
  });

  it('should advance the last validation when a sync reads through the store, as the events show', async () => {
    // Validation not due again for an hour: only the reads can prove it.
    sim.seed(store({ refreshInterval: 3600 }));
    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'checkout-db',
        namespace: NS,
        labels: { 'backstage.io/kubernetes-id': 'checkout' },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake-store' },
        target: { name: 'checkout-db' },
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      },
    } as any);
    backend = await startReconcilerTestBackend({ sim, entities: [CHECKOUT] });
    const b = backend;
    const lastValidatedAt = async () =>
      (await request(b.server).get('/api/external-secrets/stores')).body.stores
        .filter((s: { name: string }) => s.name === 'fake-store')
        .map((s: { lastValidatedAt?: string }) => s.lastValidatedAt);
    await b.runCycle();
    const [first] = await lastValidatedAt();
    expect(first).toBeDefined();
    await new Promise(resolve => setTimeout(resolve, 5));

    const sync = await request(b.server)
      .post('/api/external-secrets/entities/component/default/checkout/sync')
      .send({});
    expect(sync.status).toBe(202);
    await b.runCycle();

    const status = await request(b.server).get(
      '/api/external-secrets/entities/component/default/checkout/status',
    );
    const attempt = status.body.externalSecrets[0].lastAttemptAt;
    expect(Date.parse(attempt)).toBeGreaterThan(Date.parse(first));
    expect(await lastValidatedAt()).toEqual([attempt]);
  });

  it('should show Ready False with InvalidProviderConfig for a store whose provider is not installed', async () => {
    sim.seed(
      store({ provider: { vault: { server: 'https://vault.example' } } }),
    );
    backend = await startReconcilerTestBackend({ sim, entities: [CHECKOUT] });
    await backend.runCycle();

    expect(storeStatus()?.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'False',
        reason: 'InvalidProviderConfig',
        message: expect.stringContaining('vault'),
      }),
    ]);
  });

  it('should never write the status of a store on an observe cluster', async () => {
    sim.seed(store());
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      cluster: { mode: 'observe', esoFree: false },
    });
    await backend.runCycle();
    expect(statusWrites()).toHaveLength(0);
    expect(storeStatus()).toBeUndefined();
  });

  it("should never write the status of a store of ESO's class on a shared cluster", async () => {
    sim.seed(store());
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      cluster: { mode: 'reconcile', esoFree: false },
    });
    await backend.runCycle();
    expect(statusWrites()).toHaveLength(0);
  });
});
