import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  createFakeProvider,
  externalSecretsProvidersExtensionPoint,
  SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
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
 * Hole 6 of issue #16: on a cluster where ESO runs, an ExternalSecret whose
 * store could not be resolved (not found, provider not installed, conditions)
 * skipped the controller-class check, so we wrote its Secret and overwrote the
 * status ESO keeps. And observe mode read provider credential Secrets to
 * validate stores. Now anything not positively ours is observed, and observe
 * mode reads no Secret data at all.
 */

const NS = 'payments';
const CANARY = 'canary-hole06-provider-credential';
const API = '/api/external-secrets';
const PARTIAL = 'PartialObjectMetadata';

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

/** The status ESO wrote: ours must never replace it. */
const ESO_STATUS = {
  refreshTime: '2026-11-23T10:00:00Z',
  syncedResourceVersion: '1-eso',
  conditions: [
    {
      type: 'Ready',
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'written by ESO',
      lastTransitionTime: '2026-11-23T10:00:00Z',
    },
  ],
};

function externalSecret(storeName: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name: 'db',
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: '1ms',
      secretStoreRef: { kind: 'ClusterSecretStore', name: storeName },
      target: { name: 'db' },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    },
    status: ESO_STATUS,
  };
}

function clusterStore(name: string, spec: Record<string, unknown>) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name },
    spec,
  };
}

const FAKE_DATA = { fake: { data: [{ key: 'DB_PASSWORD', value: 'x' }] } };

/**
 * A provider that, like Infisical, logs in with a credential read from a
 * Kubernetes Secret, both to validate the store and to read.
 */
function credentialedProvider(calls: string[]): SecretsProvider {
  const fake = createFakeProvider();
  const login = async (
    context: Parameters<SecretsProvider['newClient']>[1],
  ) => {
    const token = await context.readSecretKey({ name: 'creds', key: 'token' });
    calls.push(`login ${token.byteLength}`);
  };
  return {
    ...fake,
    name: 'credentialed',
    validateStoreSpec: () => [],
    async validateStore(_store, context) {
      await login(context);
      return { ready: true, reason: 'Valid', message: 'logged in' };
    },
    async newClient(store, context) {
      await login(context);
      return fake.newClient(
        { ...store, spec: { ...store.spec, provider: FAKE_DATA } },
        context,
      );
    },
  };
}

/**
 * A store of our class is ours: its own status and its Events (cluster-scoped:
 * in `default`) are the controller's housekeeping (issue #17 items 17, 18),
 * not a write on behalf of an ExternalSecret or an entity.
 */
function isStoreHousekeeping(r: { resource?: string; namespace?: string }) {
  return (
    r.resource === 'clustersecretstores/status' ||
    r.resource === 'secretstores/status' ||
    (r.resource === 'events' && r.namespace === 'default')
  );
}

describe('hole 6: observe mode never writes and reads no Secret data', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;
  const providerCalls: string[] = [];
  const credentialed = createBackendModule({
    pluginId: 'external-secrets',
    moduleId: 'credentialed',
    register(reg) {
      reg.registerInit({
        deps: { providers: externalSecretsProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(credentialedProvider(providerCalls));
        },
      });
    },
  });

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.reset();
    providerCalls.length = 0;
    sim.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(
    options: Partial<Parameters<typeof startReconcilerTestBackend>[0]>,
  ) {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      extraFeatures: [credentialed],
      ...options,
    });
    return backend;
  }

  async function record(b: ReconcilerTestBackend) {
    const res = await request(b.server).get(
      `${API}/entities/component/default/checkout/status`,
    );
    expect(res.status).toBe(200);
    return res.body.externalSecrets[0];
  }

  /** Every write; on a shared cluster, minus our own stores' housekeeping. */
  const writes = (ourStoresHousekeeping = false) =>
    sim.requests.filter(
      r =>
        ['create', 'update', 'patch', 'delete'].includes(r.verb ?? '') &&
        !(ourStoresHousekeeping && isStoreHousekeeping(r)),
    );
  const esStatus = () =>
    (sim.get({ kind: 'ExternalSecret', namespace: NS, name: 'db' }) as any)
      .status;

  describe('a reconcile-mode cluster where ESO runs (esoFree: false)', () => {
    const SHARED = { mode: 'reconcile', esoFree: false };

    it.each([
      ['does not exist', () => []],
      [
        "uses a provider this Backstage has not installed (ESO's aws)",
        () => [
          clusterStore('shared', {
            controller: 'backstage',
            provider: {
              aws: { service: 'SecretsManager', region: 'eu-west-1' },
            },
          }),
        ],
      ],
      [
        'does not admit the namespace (spec.conditions)',
        () => [
          clusterStore('shared', {
            controller: 'backstage',
            conditions: [{ namespaces: ['other'] }],
            provider: FAKE_DATA,
          }),
        ],
      ],
    ])(
      'should leave the ExternalSecret to ESO when its store %s: no Secret, status untouched',
      async (_why, stores) => {
        sim.seed(...stores(), externalSecret('shared'));
        sim.clearRequests();
        const b = await start({ cluster: SHARED });

        await b.runCycle();

        expect(writes(true)).toEqual([]);
        expect(esStatus()).toEqual(ESO_STATUS);
        expect(
          sim.get({ kind: 'Secret', namespace: NS, name: 'db' }),
        ).toBeUndefined();
        expect(await record(b)).toMatchObject({
          mode: 'observe',
          message: expect.stringContaining('ClusterSecretStore/shared'),
        });
      },
    );

    it('should leave an ExternalSecret on an app-config store to ESO too (ESO does not know that store)', async () => {
      sim.seed(externalSecret('from-config'));
      sim.clearRequests();
      const b = await start({
        cluster: SHARED,
        config: {
          stores: [
            {
              kind: 'ClusterSecretStore',
              metadata: { name: 'from-config' },
              spec: { provider: FAKE_DATA },
            },
          ],
        },
      });

      await b.runCycle();

      expect(writes()).toEqual([]);
      expect(esStatus()).toEqual(ESO_STATUS);
      expect((await record(b)).mode).toBe('observe');
    });

    it("should not log in with the credentials of a store of ESO's class to validate it", async () => {
      sim.seed(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'creds', namespace: NS },
          data: { token: Buffer.from(CANARY).toString('base64') },
        },
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'SecretStore',
          metadata: { name: 'eso-store', namespace: NS },
          spec: { provider: { credentialed: {} } },
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'Valid',
                message: 'store validated',
                lastTransitionTime: '2026-11-23T10:00:00Z',
              },
            ],
          },
        },
      );
      sim.clearRequests();
      const b = await start({ cluster: SHARED });

      await b.runCycle();

      expect(providerCalls).toEqual([]);
      expect(
        sim.requests.filter(
          r => r.resource === 'secrets' && !(r.accept ?? '').includes(PARTIAL),
        ),
      ).toEqual([]);
      const stores = await request(b.server).get(`${API}/stores`);
      expect(
        stores.body.stores.find((s: any) => s.name === 'eso-store'),
      ).toMatchObject({ ready: true, reason: 'Valid' });
    });

    it('should still reconcile an ExternalSecret whose store is positively ours', async () => {
      sim.seed(
        clusterStore('shared', {
          controller: 'backstage',
          provider: FAKE_DATA,
        }),
        externalSecret('shared'),
      );
      const b = await start({ cluster: SHARED });

      await b.runCycle();

      expect(
        sim.get({ kind: 'Secret', namespace: NS, name: 'db' }),
      ).toBeDefined();
      expect(esStatus().conditions[0].reason).toBe('SecretSynced');
    });
  });

  describe('an observe-mode cluster', () => {
    it('should read only Secret metadata during a full cycle, store validation included', async () => {
      sim.seed(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'creds', namespace: NS },
          data: { token: Buffer.from(CANARY).toString('base64') },
        },
        {
          ...clusterStore('credentialed-store', {
            provider: { credentialed: {} },
          }),
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'Valid',
                message: 'store validated',
                lastTransitionTime: '2026-11-23T10:00:00Z',
              },
            ],
          },
        },
        {
          ...externalSecret('credentialed-store'),
          spec: {
            ...externalSecret('credentialed-store').spec,
            secretStoreRef: {
              kind: 'SecretStore',
              name: 'credentialed-store',
            },
          },
        },
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'SecretStore',
          metadata: { name: 'credentialed-store', namespace: NS },
          spec: {
            provider: { credentialed: {} },
          },
        },
      );
      sim.clearRequests();
      const b = await start({ cluster: { mode: 'observe' } });

      await b.runCycle();

      const secretRequests = sim.requests.filter(r => r.resource === 'secrets');
      expect(
        secretRequests.filter(r => !(r.accept ?? '').includes(PARTIAL)),
      ).toEqual([]);
      expect(writes()).toEqual([]);
      expect(providerCalls).toEqual([]);
      const stores = await request(b.server).get(`${API}/stores`);
      expect(stores.status).toBe(200);
      expect(JSON.stringify(stores.body)).not.toContain(CANARY);
      const cluster = stores.body.stores.find(
        (s: any) => s.kind === 'ClusterSecretStore',
      );
      expect(cluster).toMatchObject({
        ready: true,
        message: expect.stringContaining('store validated'),
      });
      const namespaced = stores.body.stores.find(
        (s: any) => s.kind === 'SecretStore',
      );
      expect(namespaced).toMatchObject({
        ready: false,
        message: expect.stringContaining('validated by ESO'),
      });
    });
  });
});
