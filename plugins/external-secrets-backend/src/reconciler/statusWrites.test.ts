import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import {
  CHECKOUT,
  checkoutExternalSecret,
  fakeStore,
  NS,
} from '../__testUtils__/checkoutFixtures';

jest.setTimeout(60_000);

/**
 * The ExternalSecret status a kubectl user reads, as ESO writes it
 * (pkg/controllers/externalsecret/externalsecret_controller.go, Reconcile:
 * every failure path sets Ready=False with SecretSyncedError before it
 * returns; refreshTime moves only on a successful sync; util.go
 * SetExternalSecretCondition keeps lastTransitionTime while the status stays).
 */

const STORE = fakeStore();
const externalSecret = (spec: Record<string, unknown> = {}) =>
  checkoutExternalSecret('db', spec);

const WHOLE_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('ExternalSecret status writes', () => {
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
      STORE,
    );
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const status = () =>
    (sim.get({ kind: 'ExternalSecret', namespace: NS, name: 'db' }) as any)
      ?.status;
  const start = async () => {
    backend = await startReconcilerTestBackend({ sim, entities: [CHECKOUT] });
    return backend;
  };

  // ESO sees a deleted and recreated ExternalSecret as a new object (new
  // metadata.uid, no status) and syncs it at once (issue #17 item 3).
  it('should sync an ExternalSecret deleted and recreated with the same name between two cycles', async () => {
    sim.seed({
      ...STORE,
      spec: {
        provider: {
          fake: {
            data: [
              { key: 'DB_PASSWORD', value: 'pw' },
              { key: 'OTHER_PASSWORD', value: 'other' },
            ],
          },
        },
      },
    });
    sim.seed(
      externalSecret({ target: { name: 'db', creationPolicy: 'Orphan' } }),
    );
    const b = await start();
    await b.runCycle();
    const firstUid = (
      sim.get({ kind: 'ExternalSecret', namespace: NS, name: 'db' }) as any
    ).metadata.uid;

    sim.remove({ kind: 'ExternalSecret', namespace: NS, name: 'db' });
    sim.seed(
      externalSecret({
        target: { name: 'db', creationPolicy: 'Orphan' },
        data: [{ secretKey: 'password', remoteRef: { key: 'OTHER_PASSWORD' } }],
      }),
    );
    const recreated = sim.get({
      kind: 'ExternalSecret',
      namespace: NS,
      name: 'db',
    }) as any;
    expect(recreated.metadata.uid).not.toBe(firstUid);
    await b.runCycle();

    const secret = sim.get({
      kind: 'Secret',
      namespace: NS,
      name: 'db',
    }) as any;
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe(
      'other',
    );
    expect(status()?.conditions?.[0]).toMatchObject({ status: 'True' });
  });

  it('should leave refreshTime unset after a failed first sync, with Ready=False', async () => {
    sim.seed(
      externalSecret({
        data: [{ secretKey: 'password', remoteRef: { key: 'NO_SUCH_KEY' } }],
      }),
    );
    await (await start()).runCycle();

    expect(status().conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'SecretSyncedError',
    });
    expect(status().refreshTime).toBeUndefined();
  });

  it('should write Ready=False when the target Secret cannot be read', async () => {
    sim.seed(externalSecret());
    sim.injectFault({ resource: 'secrets', status: 403 });
    await (await start()).runCycle();

    expect(status()?.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'SecretSyncedError',
      message: expect.stringContaining(`could not read Secret ${NS}/db`),
    });
  });

  it('should write Ready=False for an ExternalSecret we cannot parse on an ESO-free cluster', async () => {
    sim.seed(externalSecret({ refreshInterval: 'every hour' }));
    await (await start()).runCycle();

    expect(status()?.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'SecretSyncedError',
      message: expect.stringContaining('refreshInterval'),
    });
  });

  it('should never write the status of an ExternalSecret it cannot parse on a cluster shared with ESO', async () => {
    sim.seed(externalSecret({ refreshInterval: 'every hour' }));
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      cluster: { esoFree: false },
    });
    await backend.runCycle();

    expect(status()).toBeUndefined();
  });

  it('should leave status.binding.name empty with creationPolicy None', async () => {
    sim.seed(
      externalSecret({ target: { name: 'db', creationPolicy: 'None' } }),
    );
    await (await start()).runCycle();

    expect(status().conditions[0].status).toBe('True');
    expect(status().binding).toEqual({ name: '' });
  });

  it('should write times in whole seconds and keep lastTransitionTime while Ready stays False', async () => {
    sim.seed(
      externalSecret({
        refreshInterval: '1ms',
        data: [{ secretKey: 'password', remoteRef: { key: 'NO_SUCH_KEY' } }],
      }),
    );
    const b = await start();
    await b.runCycle();
    const first = status().conditions[0];
    expect(first.lastTransitionTime).toMatch(WHOLE_SECONDS);

    // Same status, another reason: the transition time stays.
    sim.injectFault({ resource: 'secrets', status: 403 });
    await new Promise(resolve => setTimeout(resolve, 1100));
    await b.runCycle();
    sim.clearFaults();
    const second = status().conditions[0];
    expect(second.message).toContain('could not read Secret');
    expect(second.lastTransitionTime).toBe(first.lastTransitionTime);
  });
});
