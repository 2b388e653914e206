import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
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
 * `externalSecrets.status.updateRefreshTime` (issue #17 item 20): ESO moves
 * `status.refreshTime` on every refresh (externalsecret_controller.go,
 * Reconcile: `externalSecret.Status.RefreshTime = metav1.NewTime(start)`
 * before its Status().Update), which costs one status write per refresh. The
 * default keeps the steady state write-free; the option restores ESO's.
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

describe('status.refreshTime on every refresh', () => {
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
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'fake-store' },
        spec: {
          provider: { fake: { data: [{ key: 'DB_PASSWORD', value: 'pw' }] } },
        },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: {
          name: 'db',
          namespace: NS,
          labels: { 'backstage.io/kubernetes-id': 'checkout' },
        },
        spec: {
          refreshInterval: '1s',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake-store' },
          target: { name: 'db' },
          data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
        },
      },
    );
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const refreshTime = () =>
    (sim.get({ kind: 'ExternalSecret', namespace: NS, name: 'db' }) as any)
      ?.status?.refreshTime;
  const statusWrites = () =>
    sim.requests.filter(r => r.resource === 'externalsecrets/status').length;
  const twoRefreshes = async (config?: JsonObject) => {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      config,
    });
    await backend.runCycle();
    const first = refreshTime();
    await new Promise(resolve => setTimeout(resolve, 2100));
    await backend.runCycle();
    return first;
  };

  it('should move refreshTime on every refresh when externalSecrets.status.updateRefreshTime is true', async () => {
    const first = await twoRefreshes({
      status: { updateRefreshTime: true },
    });
    expect(first).toBeDefined();
    expect(Date.parse(refreshTime())).toBeGreaterThan(Date.parse(first));
    expect(statusWrites()).toBe(2);
  });

  it('should write no status on an unchanged refresh by default', async () => {
    const first = await twoRefreshes();
    expect(refreshTime()).toBe(first);
    expect(statusWrites()).toBe(1);
  });
});
