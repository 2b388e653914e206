import {
  createMockDirectory,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
  StoredObject,
} from '../testUtils/kubernetes';
import { localFileUrlReaderFactory } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const CANARY = 'canary-reconcile-5e1d77';
const SEED_ES = parseYaml(
  readFileSync(
    resolve(__dirname, '../__fixtures__/seed-externalsecret.yaml'),
    'utf8',
  ),
);

const databases = createTestDatabases();

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const ORDERS = entity('orders-service', {
  'backstage.io/kubernetes-id': 'orders',
});

function fakeStore(
  name: string,
  data: { key: string; value: string; version?: string }[],
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name },
    spec: { provider: { fake: { data } } },
  };
}

/** The seed ExternalSecret, claimed by the orders entity through the kubernetes-id label. */
function seedExternalSecret(spec: Record<string, unknown> = {}) {
  return {
    ...SEED_ES,
    metadata: {
      ...SEED_ES.metadata,
      labels: { 'backstage.io/kubernetes-id': 'orders' },
    },
    spec: { ...SEED_ES.spec, ...spec },
  };
}

function secretData(sim: KubernetesSimulator, namespace: string, name: string) {
  const secret = sim.get({
    kind: 'Secret',
    namespace,
    name,
  }) as StoredObject & {
    data?: Record<string, string>;
  };
  return secret?.data;
}

function writes(sim: KubernetesSimulator) {
  return sim.requests.filter(r =>
    ['create', 'update', 'patch', 'delete'].includes(r.verb ?? ''),
  );
}

describe.each(databases.eachSupportedId())(
  'ReconcileCycle (%s)',
  databaseId => {
    let sim: KubernetesSimulator;
    let backend: ReconcilerTestBackend | undefined;

    beforeAll(async () => {
      sim = await startKubernetesSimulator();
    });

    afterAll(async () => {
      await sim.stop();
    });

    beforeEach(() => {
      sim.reset();
      sim.seed({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'my-namespace' },
      });
    });

    afterEach(async () => {
      await backend?.stop();
      backend = undefined;
    });

    async function start(
      entities: Entity[] = [ORDERS],
      extra: Partial<Parameters<typeof startReconcilerTestBackend>[0]> = {},
    ) {
      backend = await startReconcilerTestBackend({
        sim,
        entities,
        knex: await databases.init(databaseId as TestDatabaseId),
        ...extra,
      });
      return backend;
    }

    it('should sync the seed ExternalSecret verbatim into Secret my-secret with key api-key', async () => {
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: CANARY },
        ]),
      );
      sim.seed(seedExternalSecret());
      const { runCycle } = await start();

      await runCycle();

      const secret = sim.get({
        kind: 'Secret',
        namespace: 'my-namespace',
        name: 'my-secret',
      }) as any;
      expect(Object.keys(secret.data)).toEqual(['api-key']);
      expect(Buffer.from(secret.data['api-key'], 'base64').toString()).toBe(
        CANARY,
      );
      expect(
        secret.metadata.labels['reconcile.external-secrets.io/managed'],
      ).toBe('true');
      expect(
        secret.metadata.annotations['reconcile.external-secrets.io/data-hash'],
      ).toMatch(/^[0-9a-f]{56}$/);
      expect(secret.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'ExternalSecret',
          name: 'my-secret',
          controller: true,
        }),
      ]);
      const es = sim.get({
        kind: 'ExternalSecret',
        namespace: 'my-namespace',
        name: 'my-secret',
      }) as any;
      const res = await request(backend!.server).get(
        '/api/external-secrets/entities/component/default/orders-service/status',
      );
      const row = res.body.externalSecrets[0];
      expect(Date.parse(row.nextDueAt) - Date.parse(row.lastSyncAt)).toBe(
        3_600_000,
      );
      expect(es.status.conditions).toEqual([
        expect.objectContaining({
          type: 'Ready',
          status: 'True',
          reason: 'SecretSynced',
        }),
      ]);
    });

    it('should make zero Kubernetes writes when a due cycle finds nothing changed', async () => {
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: CANARY },
        ]),
      );
      sim.seed(seedExternalSecret({ refreshInterval: '1ms' }));
      const { runCycle } = await start();
      await runCycle();
      sim.clearRequests();

      await new Promise(r => setTimeout(r, 5));
      await runCycle();

      expect(writes(sim)).toEqual([]);
    });

    it('should update the Secret when the provider value changes', async () => {
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: 'v1' },
        ]),
      );
      sim.seed(seedExternalSecret({ refreshInterval: '1ms' }));
      const { runCycle } = await start();
      await runCycle();

      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: 'v2' },
        ]),
      );
      await new Promise(r => setTimeout(r, 5));
      await runCycle();

      expect(secretData(sim, 'my-namespace', 'my-secret')).toEqual({
        'api-key': Buffer.from('v2').toString('base64'),
      });
    });

    it('should heal a Secret edited by hand (data-hash drift) even before the refresh is due', async () => {
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: CANARY },
        ]),
      );
      sim.seed(seedExternalSecret());
      const { runCycle } = await start();
      await runCycle();
      const secret = sim.get({
        kind: 'Secret',
        namespace: 'my-namespace',
        name: 'my-secret',
      }) as any;
      sim.seed({
        ...secret,
        data: { 'api-key': Buffer.from('edited').toString('base64') },
      });

      await runCycle();

      expect(secretData(sim, 'my-namespace', 'my-secret')).toEqual({
        'api-key': Buffer.from(CANARY).toString('base64'),
      });
    });

    it('should retry a 409 conflict from a fresh read', async () => {
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: 'v1' },
        ]),
      );
      sim.seed(seedExternalSecret({ refreshInterval: '1ms' }));
      const { runCycle } = await start();
      await runCycle();
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: 'v2' },
        ]),
      );
      sim.injectFault({
        verb: 'update',
        resource: 'secrets',
        status: 409,
        times: 1,
      });

      await new Promise(r => setTimeout(r, 5));
      await runCycle();

      expect(secretData(sim, 'my-namespace', 'my-secret')).toEqual({
        'api-key': Buffer.from('v2').toString('base64'),
      });
    });

    it('should refuse a Secret owned by another controller and leave it untouched', async () => {
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: CANARY },
        ]),
      );
      sim.seed(seedExternalSecret());
      sim.seed({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'my-secret',
          namespace: 'my-namespace',
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'other',
              uid: 'u-1',
              controller: true,
            },
          ],
        },
        data: { mine: Buffer.from('theirs').toString('base64') },
      });
      const { runCycle, server } = await start();

      await runCycle();

      expect(secretData(sim, 'my-namespace', 'my-secret')).toEqual({
        mine: Buffer.from('theirs').toString('base64'),
      });
      expect(writes(sim).filter(w => w.resource === 'secrets')).toEqual([]);
      const res = await request(server).get(
        '/api/external-secrets/entities/component/default/orders-service/status',
      );
      expect(res.body.externalSecrets[0]).toMatchObject({
        state: 'Error',
        message: expect.stringContaining('owned'),
      });
    });

    it('should validate stores and list them with their Ready state and cause', async () => {
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: 'v' },
        ]),
      );
      sim.seed({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'broken' },
        spec: { provider: { infisical: { auth: {}, secretsScope: {} } } },
      });
      sim.seed(seedExternalSecret());
      const b = await start();
      await b.runCycle();

      const res = await request(b.server).get('/api/external-secrets/stores');
      expect(res.status).toBe(200);
      expect(res.body.stores).toEqual([
        expect.objectContaining({
          cluster: 'test',
          kind: 'ClusterSecretStore',
          name: 'broken',
          ready: false,
          reason: 'InvalidStoreConfiguration',
          message: expect.stringContaining('spec.provider.infisical'),
        }),
        expect.objectContaining({
          name: 'infisical-archon-platform',
          provider: 'fake',
          ready: true,
          reason: 'Valid',
          lastValidatedAt: expect.any(String),
        }),
      ]);
    });

    it('should apply a declared manifest, then update it in place on later forced cycles', async () => {
      const dir = createMockDirectory();
      dir.setContent({
        'catalog-info.yaml': 'kind: Component',
        'kubernetes/es.yaml': readFileSync(
          resolve(__dirname, '../__fixtures__/seed-externalsecret.yaml'),
          'utf8',
        ),
      });
      sim.seed(
        fakeStore('infisical-archon-platform', [
          { key: 'MY_SECRET_NAME', value: 'v1' },
        ]),
      );
      const declaring = entity('orders-service', {
        'external-secrets.io/manifests': './kubernetes/es.yaml',
        'backstage.io/managed-by-location': `file:${dir.resolve(
          'catalog-info.yaml',
        )}`,
      });
      // Local files only through a UrlReader for them, and manifests only
      // where the cluster allows them.
      const b = await start([declaring], {
        config: {
          manifests: {
            clusters: [
              { name: 'test', allow: [{ namespaces: ['my-namespace'] }] },
            ],
          },
        },
        extraFeatures: [localFileUrlReaderFactory(() => [dir.path])],
      });
      await b.runCycle();
      const created = sim.get({
        kind: 'Secret',
        namespace: 'my-namespace',
        name: 'my-secret',
      }) as any;
      expect(created.metadata.ownerReferences).toBeUndefined();

      for (const value of ['v2', 'v3']) {
        sim.seed(
          fakeStore('infisical-archon-platform', [
            { key: 'MY_SECRET_NAME', value },
          ]),
        );
        const sync = await request(b.server)
          .post(
            '/api/external-secrets/entities/component/default/orders-service/sync',
          )
          .send({});
        expect(sync.status).toBe(202);
        await b.runCycle();
      }

      expect(secretData(sim, 'my-namespace', 'my-secret')).toEqual({
        'api-key': Buffer.from('v3').toString('base64'),
      });
      const events = await request(b.server).get(
        '/api/external-secrets/entities/component/default/orders-service/events',
      );
      expect(events.body.events.map((e: any) => e.type)).toEqual([
        'updated',
        'updated',
        'created',
      ]);
    });
  },
);
