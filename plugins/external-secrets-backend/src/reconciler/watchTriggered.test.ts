import {
  KubernetesSimulator,
  SimulatorRequest,
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
 * Event-driven reconcile (issue #22): with a 10-minute tick, watch events alone
 * bring a new ExternalSecret's Secret, heal a deleted one and honour
 * `force-sync`, as ESO's controller does on its watches
 * (externalsecret_controller.go SetupWithManager: Owns(Secret), and the
 * generation/annotation/label predicates). Our own status and Secret writes
 * cause no further cycle.
 */

const STORE = fakeStore([{ key: 'DB_PASSWORD', value: 'pw-1' }]);
const externalSecret = (name: string) => checkoutExternalSecret(name);

const isWrite = (r: SimulatorRequest) =>
  ['create', 'update', 'patch', 'delete'].includes(r.verb ?? '') &&
  r.resource !== 'events';

describe('watch-triggered reconcile', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend;
  let run: { stop(): Promise<void> };

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    sim.reset();
    sim.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      STORE,
      externalSecret('existing'),
    );
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      config: {
        schedule: { frequency: { minutes: 10 }, timeout: { minutes: 1 } },
        watch: { enabled: true },
      },
    });
    run = backend.startRun();
    // The first (full) cycle writes the store's status (validated before the
    // reads, as the new store is not Ready yet) and the ExternalSecret's.
    await firstCycleDone();
  });

  async function firstCycleDone() {
    const deadline = Date.now() + 10_000;
    const wrote = (resource: string) =>
      sim.requests.some(r => r.resource === resource);
    while (
      !(
        wrote('clustersecretstores/status') && wrote('externalsecrets/status')
      ) &&
      Date.now() < deadline
    )
      await new Promise(r => setTimeout(r, 25));
  }
  afterEach(async () => {
    await run.stop();
    await backend.stop();
  });

  const secretOf = (name: string) =>
    sim.get({ kind: 'Secret', namespace: NS, name });

  async function expectEventually(check: () => boolean, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 25));
    expect(check()).toBe(true);
  }

  it('creates the Secret of a newly applied ExternalSecret without waiting for the tick', async () => {
    sim.seed(externalSecret('applied'));
    await expectEventually(() => secretOf('applied') !== undefined);
    expect(secretOf('applied')?.data).toEqual({
      password: Buffer.from('pw-1').toString('base64'),
    });
  });

  it('recreates a deleted target Secret', async () => {
    sim.remove({ kind: 'Secret', namespace: NS, name: 'existing' });
    await expectEventually(() => secretOf('existing') !== undefined);
    expect(secretOf('existing')?.metadata.uid).toBeDefined();
  });

  it('syncs on a force-sync annotation', async () => {
    const before = sim.get({
      kind: 'ExternalSecret',
      namespace: NS,
      name: 'existing',
    })!;
    const refreshed = (before.status as { refreshTime?: string }).refreshTime;
    await new Promise(r => setTimeout(r, 1100)); // refreshTime has 1 s resolution
    sim.seed({
      ...before,
      metadata: {
        ...before.metadata,
        annotations: { 'force-sync': String(Date.now()) },
      },
    });
    await expectEventually(() => {
      const es = sim.get({
        kind: 'ExternalSecret',
        namespace: NS,
        name: 'existing',
      })!;
      return (es.status as { refreshTime?: string }).refreshTime !== refreshed;
    });
    expect(refreshed).toBeDefined();
  });

  it('makes no write when nothing changed, its own writes included', async () => {
    expect(secretOf('existing')).toBeDefined();
    sim.clearRequests();
    await new Promise(r => setTimeout(r, 1_500));
    expect(sim.requests.filter(isWrite)).toEqual([]);
    // No cycle followed the first one's own writes: nothing listed since.
    expect(sim.requests.filter(r => r.verb === 'list')).toEqual([]);
  });
});
