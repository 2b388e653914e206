import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
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
 * The lifecycle of a reconciled ExternalSecret as ESO runs it
 * (pkg/controllers/externalsecret/externalsecret_controller.go and
 * pkg/controllers/secretstore/client_manager.go), issue #17 items 4 and 8.
 */

const STORE = fakeStore();
const externalSecret = checkoutExternalSecret;

describe('ExternalSecret lifecycle', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;
  let knex: Knex;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(async () => {
    sim.reset();
    sim.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      STORE,
    );
    knex = await databases.init('SQLITE_3');
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const start = async () => {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      knex,
    });
    return backend;
  };
  const secret = (name: string) =>
    sim.get({ kind: 'Secret', namespace: NS, name }) as any;
  const readyOf = (name: string) =>
    (sim.get({ kind: 'ExternalSecret', namespace: NS, name }) as any)?.status
      ?.conditions?.[0];
  const decoded = (name: string, key: string) =>
    Buffer.from(secret(name).data[key], 'base64').toString();
  /** Secret `shared` with a key of its own; fake-store serves `remote`. */
  const seedSharedSecret = (remote: Record<string, string>) => {
    sim.seed(
      fakeStore(Object.entries(remote).map(([key, value]) => ({ key, value }))),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'shared', namespace: NS },
        data: { other: Buffer.from('kept').toString('base64') },
      },
    );
  };
  /** A creationPolicy Merge ExternalSecret writing `password` into `shared`. */
  const merging = (name: string, remote: string) =>
    externalSecret(name, {
      target: { name: 'shared', creationPolicy: 'Merge' },
      data: [{ secretKey: 'password', remoteRef: { key: remote } }],
    });

  describe('renaming target.name (ESO: deleteOrphanedSecrets)', () => {
    it('should delete the Secret it owned under the old name', async () => {
      sim.seed(externalSecret('db', { target: { name: 'db-old' } }));
      const b = await start();
      await b.runCycle();
      expect(secret('db-old')).toBeDefined();

      const es = sim.get({
        kind: 'ExternalSecret',
        namespace: NS,
        name: 'db',
      }) as any;
      sim.seed({ ...es, spec: { ...es.spec, target: { name: 'db-new' } } });
      await b.runCycle();

      expect(decoded('db-new', 'password')).toBe('pw');
      expect(secret('db-old')).toBeUndefined();
      expect(readyOf('db')).toMatchObject({ status: 'True' });
    });

    it('should keep an old Secret that is not owned by this ExternalSecret', async () => {
      sim.seed(
        externalSecret('db', {
          target: { name: 'db-old', creationPolicy: 'Orphan' },
        }),
      );
      const b = await start();
      await b.runCycle();
      expect(secret('db-old')).toBeDefined();

      const es = sim.get({
        kind: 'ExternalSecret',
        namespace: NS,
        name: 'db',
      }) as any;
      sim.seed({
        ...es,
        spec: {
          ...es.spec,
          target: { name: 'db-new', creationPolicy: 'Orphan' },
        },
      });
      await b.runCycle();

      expect(secret('db-new')).toBeDefined();
      expect(secret('db-old')).toBeDefined();
    });
  });

  // ESO's setMetadata (externalsecret_controller_template.go) first deletes
  // the label and annotation keys this ExternalSecret's field manager wrote
  // (templating.GetManagedLabelKeys / GetManagedAnnotationKeys), then merges
  // the ones it produces now: what it stopped producing goes, others' stay.
  describe('labels and annotations it no longer produces', () => {
    it('should remove the ones it wrote and keep the ones others wrote', async () => {
      sim.seed(
        externalSecret('db', {
          target: {
            name: 'db',
            template: {
              metadata: {
                labels: { tier: 'backend', team: 'payments' },
                annotations: { 'docs/url': 'https://example.test' },
              },
            },
          },
        }),
      );
      const b = await start();
      await b.runCycle();
      expect(secret('db').metadata.labels).toMatchObject({
        tier: 'backend',
        team: 'payments',
      });
      const written = secret('db');
      sim.seed({
        ...written,
        metadata: {
          ...written.metadata,
          labels: { ...written.metadata.labels, 'someone/else': 'x' },
        },
      });

      const es = sim.get({
        kind: 'ExternalSecret',
        namespace: NS,
        name: 'db',
      }) as any;
      sim.seed({
        ...es,
        spec: {
          ...es.spec,
          target: {
            name: 'db',
            template: { metadata: { labels: { tier: 'frontend' } } },
          },
        },
      });
      await b.runCycle();

      const labels = secret('db').metadata.labels;
      expect(labels.tier).toBe('frontend');
      expect(labels).not.toHaveProperty('team');
      expect(labels['someone/else']).toBe('x');
      expect(secret('db').metadata.annotations).not.toHaveProperty('docs/url');
      expect(readyOf('db')).toMatchObject({ status: 'True' });
    });
  });

  // Two creationPolicy Merge ExternalSecrets producing the same key rewrote
  // the shared Secret every cycle: the one created first keeps the key.
  describe('two Merge ExternalSecrets writing the same key', () => {
    it("should keep the first one's value and report the conflict on both", async () => {
      seedSharedSecret({ A_PASSWORD: 'from-a', B_PASSWORD: 'from-b' });
      sim.seed(merging('a-first', 'A_PASSWORD'));
      sim.seed(merging('b-second', 'B_PASSWORD'));
      const b = await start();
      await b.runCycle();
      await b.runCycle();
      const versionAfterTwo = secret('shared').metadata.resourceVersion;
      await b.runCycle();

      expect(decoded('shared', 'password')).toBe('from-a');
      expect(decoded('shared', 'other')).toBe('kept');
      expect(secret('shared').metadata.resourceVersion).toBe(versionAfterTwo);
      const keyOf = async (es: string) =>
        knex('es_keys as k')
          .join('es_external_secrets as e', 'e.id', 'k.external_secret_id')
          .where({ 'e.name': es, 'k.secret_key': 'password' })
          .first('k.state', 'k.message');
      expect(await keyOf('b-second')).toMatchObject({
        state: 'error',
        message: expect.stringContaining('ExternalSecret a-first'),
      });
      expect((await keyOf('a-first')).message).toContain(
        'ExternalSecret b-second',
      );
    });
  });

  // Both new in one cycle, the newer one listed first: run one after the
  // other, oldest first, the older writes the key and the newer finds it
  // taken (managedFields on a real apiserver, memory here). Concurrently, the
  // newer wrote first and the older overwrote it: the key flipped once.
  describe('two new Merge ExternalSecrets of one Secret in one cycle', () => {
    it('should write the shared key once, as the one created first', async () => {
      seedSharedSecret({
        OLD_PASSWORD: 'from-older',
        NEW_PASSWORD: 'from-newer',
      });
      sim.seed(merging('z-older', 'OLD_PASSWORD'));
      // creationTimestamp has whole seconds: make the newer one really newer.
      await new Promise(r => setTimeout(r, 1100));
      sim.seed(merging('a-newer', 'NEW_PASSWORD'));
      const b = await start();
      await b.runCycle();

      expect(decoded('shared', 'password')).toBe('from-older');
      const writes = sim.requests.filter(
        r =>
          r.resource === 'secrets' &&
          r.name === 'shared' &&
          (r.verb === 'update' || r.verb === 'create'),
      );
      expect(writes.map(w => w.status)).toEqual([200]);
    });
  });

  describe('a store whose last validation failed (ESO: flood gate, assertStoreIsUsable)', () => {
    const markStore = (ready: boolean) =>
      knex('es_stores')
        .where({ kind: 'ClusterSecretStore', name: 'fake-store' })
        .update({
          ready,
          message: ready ? 'store validated' : 'login failed: 401',
        });

    it('should validate it again before the next cycle reads, even when another replica recorded the failure', async () => {
      // The "say why" half (StoreNotReady, nothing read) is storeGate.test.ts's,
      // with a provider whose login fails. Here the failure was recorded by
      // another replica (or before a restart): this one has not counted it,
      // so it retries at its next cycle, as ESO's store controller requeues
      // a failed store (pkg/controllers/secretstore/common.go, reconcile),
      // rather than keeping the store closed for its refreshInterval.
      const b = await start();
      await b.runCycle(); // validates the store: Ready
      expect(await knex('es_stores').select()).toHaveLength(1);
      await markStore(false);

      sim.seed(externalSecret('db'));
      await b.runCycle();

      expect(decoded('db', 'password')).toBe('pw');
      expect(readyOf('db')).toMatchObject({ status: 'True' });
      expect(await knex('es_stores').first()).toMatchObject({
        message: expect.not.stringContaining('login failed'),
      });
    });

    it('should read through a store never validated yet (first cycle)', async () => {
      sim.seed(externalSecret('db'));
      await (await start()).runCycle();
      expect(decoded('db', 'password')).toBe('pw');
    });
  });
});
