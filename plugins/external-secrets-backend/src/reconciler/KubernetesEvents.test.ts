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
 * Kubernetes Events a `kubectl describe` user sees, as ESO records them
 * (pkg/controllers/externalsecret/externalsecret_controller.go: Normal
 * Created "secret created", Normal Updated "secret updated", Warning
 * UpdateFailed with the error; pkg/controllers/secretstore/common.go: Normal
 * Valid "store validated"), only on a transition so a steady state writes
 * none (issue #17 item 18).
 */

const NS = 'payments';
const CANARY = 'canary-value-7f3a9e';
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

function externalSecret(key: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name: 'db',
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake-store' },
      target: { name: 'db' },
      data: [{ secretKey: 'password', remoteRef: { key } }],
    },
  };
}

describe('Kubernetes Events', () => {
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
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'fake-store' },
        spec: {
          provider: {
            fake: { data: [{ key: 'DB_PASSWORD', value: CANARY }] },
          },
        },
      },
    );
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const eventsOn = (kind: string, name: string) =>
    [...sim.list('Event', NS), ...sim.list('Event', 'default')].filter(
      (e: any) =>
        e.involvedObject?.kind === kind && e.involvedObject?.name === name,
    ) as any[];

  it('should record Created on the ExternalSecret and Valid on the store for a first sync, then nothing in the steady state', async () => {
    sim.seed(externalSecret('DB_PASSWORD'));
    backend = await startReconcilerTestBackend({ sim, entities: [CHECKOUT] });
    await backend.runCycle();

    expect(eventsOn('ExternalSecret', 'db')).toEqual([
      expect.objectContaining({
        type: 'Normal',
        reason: 'Created',
        message: 'secret created',
        source: { component: 'backstage-external-secrets' },
        reportingComponent: 'backstage-external-secrets',
      }),
    ]);
    expect(eventsOn('ClusterSecretStore', 'fake-store')).toEqual([
      expect.objectContaining({
        type: 'Normal',
        reason: 'Valid',
        message: 'store validated',
      }),
    ]);

    sim.clearRequests();
    await backend.runCycle();
    expect(sim.requests.filter(r => r.resource === 'events')).toEqual([]);
    expect(JSON.stringify(sim.list('Event', NS))).not.toContain(CANARY);
  });

  it('should record UpdateFailed (Warning) with the cause for a failed sync, once', async () => {
    sim.seed(externalSecret('MISSING_KEY'));
    backend = await startReconcilerTestBackend({ sim, entities: [CHECKOUT] });
    await backend.runCycle();

    const failed = eventsOn('ExternalSecret', 'db');
    expect(failed).toEqual([
      expect.objectContaining({
        type: 'Warning',
        reason: 'UpdateFailed',
        message: expect.stringContaining('MISSING_KEY'),
      }),
    ]);
    await backend.runCycle();
    expect(eventsOn('ExternalSecret', 'db')).toHaveLength(1);
  });
});
