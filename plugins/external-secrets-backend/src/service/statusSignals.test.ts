import { createServiceFactory } from '@backstage/backend-plugin-api';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

const CANARY = 'canary-signals-91c2';

/**
 * The card and tab update without a reload: after a cycle changes an
 * entity's status, the backend publishes a signal on the entity's channel
 * (issue #22 "Live page", issue #19 item 5).
 */
describe('status signals', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;
  const publish = jest.fn(async (_signal: unknown) => {});

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });

  afterAll(async () => {
    await sim.stop();
  });

  afterEach(async () => {
    await backend?.stop();
    publish.mockClear();
  });

  it('should publish on the entity channel when a cycle changes its status, and not when nothing was due', async () => {
    sim.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'orders' },
    });
    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'demo' },
      spec: { provider: { fake: { data: [{ key: 'K', value: CANARY }] } } },
    });
    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'db',
        namespace: 'orders',
        labels: { 'backstage.io/kubernetes-id': 'orders' },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'demo' },
        target: { name: 'db' },
        data: [{ secretKey: 'k', remoteRef: { key: 'K' } }],
      },
    });
    backend = await startReconcilerTestBackend({
      sim,
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'orders-service',
            namespace: 'default',
            annotations: { 'backstage.io/kubernetes-id': 'orders' },
          },
          spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
        },
      ],
      extraFeatures: [
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({ publish }),
        }),
      ],
    });

    await backend.runCycle();
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: 'external-secrets:status:component:default/orders-service',
      message: { changedAt: expect.any(String) },
    });
    expect(JSON.stringify(publish.mock.calls)).not.toContain(CANARY);

    publish.mockClear();
    await backend.runCycle();
    expect(publish).not.toHaveBeenCalled();
  });
});
