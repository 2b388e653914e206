import { createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  createFakeProvider,
  externalSecretsProvidersExtensionPoint,
  ProviderError,
  SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  FakeProviderSpec,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NS = 'payments';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const CHECKOUT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

function store(
  data: { key: string; value: string }[],
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'demo-store' },
    spec: { provider: { fake: { data } }, ...extra },
  };
}

function externalSecret(
  name: string,
  target: Record<string, unknown>,
  data: { secretKey: string; key: string }[] = [
    { secretKey: 'password', key: 'DB_PASSWORD' },
    { secretKey: 'user', key: 'DB_USER' },
  ],
  storeRef: Record<string, string> = {
    kind: 'ClusterSecretStore',
    name: 'demo-store',
  },
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: '1ms',
      secretStoreRef: storeRef,
      target: { name, ...target },
      data: data.map(d => ({
        secretKey: d.secretKey,
        remoteRef: { key: d.key },
      })),
    },
  };
}

const BOTH_KEYS = [
  { key: 'DB_PASSWORD', value: 'hunter2' },
  { key: 'DB_USER', value: 'app' },
];

/** A provider whose reads fail while `down` is set: an outage. */
function flakyProvider(state: { down: boolean }): SecretsProvider {
  const fake = createFakeProvider();
  const asFake = (secretStore: SecretStore): SecretStore => ({
    ...secretStore,
    spec: {
      ...secretStore.spec,
      provider: { fake: secretStore.spec.provider.flaky as FakeProviderSpec },
    },
  });
  return {
    ...fake,
    name: 'flaky',
    validateStoreSpec: () => [],
    // The store is validated before its first reads (ESO's flood gate).
    validateStore: (secretStore, context) =>
      fake.validateStore(asFake(secretStore), context),
    async newClient(secretStore, context) {
      const inner = await fake.newClient(asFake(secretStore), context);
      const outage = () =>
        new ProviderError(
          'UNAVAILABLE',
          'flaky: HTTP 503 from the provider (request id req-42)',
          {
            provider: 'flaky',
            httpStatus: 503,
            requestId: 'req-42',
          },
        );
      return {
        getSecret: async ref => {
          if (state.down) throw outage();
          return inner.getSecret(ref);
        },
        findSecrets: async find => {
          if (state.down) throw outage();
          return inner.findSecrets(find);
        },
        close: () => inner.close(),
      };
    },
  };
}

describe.each(databases.eachSupportedId())(
  'ReconcileCycle policies and faults (%s)',
  databaseId => {
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

    async function start(
      options: Partial<Parameters<typeof startReconcilerTestBackend>[0]> = {},
    ) {
      backend = await startReconcilerTestBackend({
        sim,
        entities: [CHECKOUT],
        knex: await databases.init(databaseId as TestDatabaseId),
        ...options,
      });
      return backend;
    }

    const tick = () => new Promise(r => setTimeout(r, 5));
    const secret = (name: string) =>
      sim.get({ kind: 'Secret', namespace: NS, name }) as any;
    const secretWrites = () =>
      sim.requests.filter(
        r =>
          r.resource === 'secrets' &&
          ['create', 'update', 'delete'].includes(r.verb ?? ''),
      );

    async function status(b: ReconcilerTestBackend) {
      const res = await request(b.server).get(
        '/api/external-secrets/entities/component/default/checkout-service/status',
      );
      expect(res.status).toBe(200);
      return res.body.externalSecrets as any[];
    }

    it('should create an Orphan Secret without an ownerReference', async () => {
      sim.seed(
        store(BOTH_KEYS),
        externalSecret('db', { creationPolicy: 'Orphan' }),
      );
      await (await start()).runCycle();
      expect(secret('db').data).toEqual({
        password: b64('hunter2'),
        user: b64('app'),
      });
      expect(secret('db').metadata.ownerReferences).toBeUndefined();
    });

    it('should merge into an existing Secret with Merge, keeping foreign keys', async () => {
      sim.seed(
        store(BOTH_KEYS),
        externalSecret('db', { creationPolicy: 'Merge' }),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db', namespace: NS },
          data: { tls: b64('cert') },
        },
      );
      await (await start()).runCycle();
      expect(secret('db').data).toEqual({
        tls: b64('cert'),
        password: b64('hunter2'),
        user: b64('app'),
      });
    });

    it('should wait, not create, when the Merge target is missing', async () => {
      sim.seed(
        store(BOTH_KEYS),
        externalSecret('db', { creationPolicy: 'Merge' }),
      );
      const b = await start();
      await b.runCycle();
      expect(secret('db')).toBeUndefined();
      expect((await status(b))[0]).toMatchObject({
        state: 'Pending',
        reason: 'SecretMissing',
        message: 'secret will not be created due to CreationPolicy=Merge',
      });
    });

    it('should write nothing with creationPolicy None', async () => {
      sim.seed(
        store(BOTH_KEYS),
        externalSecret('db', { creationPolicy: 'None' }),
      );
      await (await start()).runCycle();
      expect(secret('db')).toBeUndefined();
      expect(secretWrites()).toEqual([]);
    });

    it('should create with CreateOrMerge when absent and merge when present', async () => {
      sim.seed(
        store(BOTH_KEYS),
        externalSecret('created', { creationPolicy: 'CreateOrMerge' }),
        externalSecret('merged', { creationPolicy: 'CreateOrMerge' }),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'merged', namespace: NS },
          data: { tls: b64('cert') },
        },
      );
      await (await start()).runCycle();
      expect(Object.keys(secret('created').data).sort()).toEqual([
        'password',
        'user',
      ]);
      expect(Object.keys(secret('merged').data).sort()).toEqual([
        'password',
        'tls',
        'user',
      ]);
    });

    it.each([
      ['Retain', ['password', 'user']],
      ['Merge', ['password']],
    ])(
      'should apply deletionPolicy %s when the provider proves a key is gone',
      async (deletionPolicy, keys) => {
        sim.seed(store(BOTH_KEYS), externalSecret('db', { deletionPolicy }));
        const b = await start();
        await b.runCycle();
        sim.seed(store([{ key: 'DB_PASSWORD', value: 'hunter2' }]));
        await tick();
        await b.runCycle();
        expect(Object.keys(secret('db').data).sort()).toEqual(keys);
      },
    );

    it('should delete the Secret with deletionPolicy Delete only when every key is proven gone', async () => {
      sim.seed(
        store(BOTH_KEYS),
        externalSecret('db', { deletionPolicy: 'Delete' }),
      );
      const b = await start();
      await b.runCycle();
      sim.seed(store([{ key: 'DB_PASSWORD', value: 'hunter2' }]));
      await tick();
      await b.runCycle();
      expect(secret('db')).toBeDefined();

      sim.seed(store([]));
      await tick();
      await b.runCycle();
      expect(secret('db')).toBeUndefined();
    });

    it('should leave the Secret untouched through a provider outage, record the cause, and recover', async () => {
      const provider = { down: false };
      const flaky = createBackendModule({
        pluginId: 'external-secrets',
        moduleId: 'flaky',
        register(reg) {
          reg.registerInit({
            deps: { providers: externalSecretsProvidersExtensionPoint },
            async init({ providers }) {
              providers.addProvider(flakyProvider(provider));
            },
          });
        },
      });
      sim.seed(
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ClusterSecretStore',
          metadata: { name: 'flaky-store' },
          spec: { provider: { flaky: { data: BOTH_KEYS } } },
        },
        externalSecret('db', { deletionPolicy: 'Delete' }, undefined, {
          kind: 'ClusterSecretStore',
          name: 'flaky-store',
        }),
      );
      const b = await start({ extraFeatures: [flaky] });
      await b.runCycle();
      const before = secret('db');

      provider.down = true;
      sim.clearRequests();
      await tick();
      await b.runCycle();
      expect(secret('db').data).toEqual(before.data);
      expect(secretWrites()).toEqual([]);
      const failing = (await status(b))[0];
      expect(failing.state).toBe('Error');
      expect(failing.message).toContain('HTTP 503');
      expect(failing.keys.map((k: any) => k.errorType)).toEqual([
        'UNAVAILABLE',
        'UNAVAILABLE',
      ]);

      // Recovery: the failing ExternalSecret backs off, but a force-sync (any
      // annotation change) makes it due at once.
      provider.down = false;
      const es = sim.get({
        kind: 'ExternalSecret',
        namespace: NS,
        name: 'db',
      }) as any;
      sim.seed({
        ...es,
        metadata: {
          ...es.metadata,
          annotations: { 'force-sync': '1700000000' },
        },
      });
      await tick();
      await b.runCycle();
      expect((await status(b))[0]).toMatchObject({ state: 'Synced' });
    });

    it('should treat an emptied provider folder as no evidence: a find that returns nothing deletes nothing', async () => {
      const es = externalSecret('db', { deletionPolicy: 'Delete' }, []);
      (es.spec as any).dataFrom = [{ find: { name: { regexp: '^DB_' } } }];
      sim.seed(store(BOTH_KEYS), es);
      const b = await start();
      await b.runCycle();
      expect(Object.keys(secret('db').data).sort()).toEqual([
        'DB_PASSWORD',
        'DB_USER',
      ]);

      sim.seed(store([]));
      await tick();
      await b.runCycle();
      expect(Object.keys(secret('db').data).sort()).toEqual([
        'DB_PASSWORD',
        'DB_USER',
      ]);
    });

    it('should sync the good ExternalSecret when another one is invalid, and name the bad field', async () => {
      const bad = externalSecret('bad', {}, [
        { secretKey: 'not valid', key: 'DB_USER' },
      ]);
      sim.seed(store(BOTH_KEYS), bad, externalSecret('good', {}));
      const b = await start();
      await b.runCycle();
      expect(secret('good')).toBeDefined();
      const rows = await status(b);
      const badRow = rows.find((r: any) => r.name === 'bad');
      expect(badRow.keys[0]).toMatchObject({
        state: 'error',
        message: expect.stringContaining('spec.data[0].secretKey "not valid"'),
      });
    });

    it('should leave ExternalSecrets whose store belongs to another controller class to that ESO', async () => {
      sim.seed(
        store(BOTH_KEYS, { controller: 'eso' }),
        externalSecret('db', {}),
      );
      const b = await start({ cluster: { esoFree: false } });
      await b.runCycle();
      expect(secret('db')).toBeUndefined();
      expect(secretWrites()).toEqual([]);
      expect((await status(b))[0]).toMatchObject({
        mode: 'observe',
        message: expect.stringContaining(
          'spec.controller "eso", not "backstage"',
        ),
      });
    });

    it('should reconcile stores of our controller class on a cluster shared with ESO', async () => {
      sim.seed(
        store(BOTH_KEYS, { controller: 'backstage' }),
        externalSecret('db', {}),
      );
      await (await start({ cluster: { esoFree: false } })).runCycle();
      expect(secret('db')).toBeDefined();
    });

    it('should refuse a ClusterSecretStore whose conditions do not admit the namespace', async () => {
      sim.seed(
        store(BOTH_KEYS, { conditions: [{ namespaces: ['other'] }] }),
        externalSecret('db', {}),
      );
      const b = await start();
      await b.runCycle();
      expect(secret('db')).toBeUndefined();
      expect((await status(b))[0].message).toContain(
        'ClusterSecretStore demo-store does not admit namespace "payments" (spec.conditions)',
      );
    });

    it('should observe without writing and without reading Secret values in observe mode', async () => {
      const es = externalSecret('db', {});
      sim.seed(store(BOTH_KEYS), {
        ...es,
        status: {
          refreshTime: '2026-11-23T10:00:00Z',
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'SecretSyncedError',
              message: 'could not get secret data from provider',
              lastTransitionTime: '2026-11-23T10:00:00Z',
            },
          ],
        },
      });
      sim.seed({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: NS },
        data: { password: b64('x') },
      });
      sim.clearRequests();
      const b = await start({ cluster: { mode: 'observe' } });
      await b.runCycle();
      const verbs = sim.requests.map(r => r.verb);
      expect(verbs.every(v => v === 'get' || v === 'list')).toBe(true);
      const secretReads = sim.requests.filter(r => r.resource === 'secrets');
      expect(
        secretReads.every(r =>
          (r.accept ?? '').includes('PartialObjectMetadata'),
        ),
      ).toBe(true);
      expect((await status(b))[0]).toMatchObject({
        mode: 'observe',
        state: 'Error',
        message: 'could not get secret data from provider',
      });
    });

    it('should keep the last known state of a cluster that cannot be listed', async () => {
      sim.seed(store(BOTH_KEYS), externalSecret('db', {}));
      const b = await start();
      await b.runCycle();
      sim.injectFault({
        verb: 'list',
        resource: 'externalsecrets',
        status: 503,
      });
      await b.runCycle();
      const rows = await status(b);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        state: 'Error',
        message: expect.stringContaining('cluster test could not be read'),
      });
      expect(rows[0].keys.map((k: any) => k.secretKey).sort()).toEqual([
        'password',
        'user',
      ]);
    });
  },
);
