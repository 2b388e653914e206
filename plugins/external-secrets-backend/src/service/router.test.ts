import {
  mockCredentials,
  mockServices,
  ServiceMock,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  PermissionsService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
  StoredObject,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseStatusStore } from '../database/DatabaseStatusStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const API = '/api/external-secrets';
const ORDERS_PATH = `${API}/entities/component/default/orders-service`;
const PAYMENTS_PATH = `${API}/entities/component/default/payments-service`;
const MANIFEST_URL = 'https://git.example.com/payments/externalsecret.yaml';

const READ = 'external-secrets.entity.read';
const SYNC = 'external-secrets.entity.sync';
const STORES = 'external-secrets.stores.read';
const OVERVIEW = 'external-secrets.overview.read';

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
/** Exists, but the catalog does not show it to the requesting user. */
const HIDDEN = entity('hidden-service', {
  'backstage.io/kubernetes-id': 'hidden',
});
/** Declares its ExternalSecret as a manifest: there is no CR in the cluster. */
const PAYMENTS = entity('payments-service', {
  'external-secrets.io/manifests': MANIFEST_URL,
  // Manifests are read inside the folder of the catalog-set location only.
  'backstage.io/managed-by-location':
    'url:https://git.example.com/payments/catalog-info.yaml',
  'backstage.io/kubernetes-namespace': 'my-namespace',
});

function fakeStore(value: string): StoredObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'demo-store' },
    spec: { provider: { fake: { data: [{ key: 'PRESENT', value }] } } },
  };
}

function externalSecret(name: string, id: string, remoteKey: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: 'my-namespace',
      labels: { 'backstage.io/kubernetes-id': id },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'demo-store' },
      target: { name },
      data: [{ secretKey: 'api-key', remoteRef: { key: remoteKey } }],
    },
  };
}

const PAYMENTS_MANIFEST = `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: payments-db
spec:
  refreshInterval: 1h
  secretStoreRef: { kind: ClusterSecretStore, name: demo-store }
  target: { name: payments-db }
  data:
    - secretKey: api-key
      remoteRef: { key: PRESENT }
`;

function seedCluster(sim: KubernetesSimulator) {
  sim.reset();
  sim.seed({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'my-namespace' },
  });
  sim.seed(fakeStore('v1'));
  sim.seed(externalSecret('orders-db', 'orders', 'PRESENT'));
  sim.seed(externalSecret('orders-broken', 'orders', 'ABSENT'));
  sim.seed(externalSecret('hidden-db', 'hidden', 'PRESENT'));
}

function manifestReader() {
  return mockServices.urlReader.mock({
    readUrl: async (url: string) => {
      if (url !== MANIFEST_URL) throw new Error(`unexpected read of ${url}`);
      return {
        buffer: async () => Buffer.from(PAYMENTS_MANIFEST),
        etag: 'e1',
      } as Awaited<ReturnType<UrlReaderService['readUrl']>>;
    },
  });
}

/** Allows every permission except the denied ones, deciding per request. */
function permissionsDenying(denied: Set<string>) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: denied.has(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })),
  });
}

function annotationsOf(sim: KubernetesSimulator, name: string) {
  return (
    sim.get({ kind: 'ExternalSecret', namespace: 'my-namespace', name })
      ?.metadata.annotations ?? {}
  );
}

function secretValue(sim: KubernetesSimulator, name: string) {
  const secret = sim.get({
    kind: 'Secret',
    namespace: 'my-namespace',
    name,
  }) as (StoredObject & { data?: Record<string, string> }) | undefined;
  const data = secret?.data?.['api-key'];
  return data === undefined
    ? undefined
    : Buffer.from(data, 'base64').toString('utf8');
}

/** The auditor mock's events: what was created and how each ended. */
async function auditEvents(backend: ReconcilerTestBackend) {
  const { createEvent } = backend.auditor;
  const calls = (createEvent as jest.Mock).mock.calls;
  const results = (createEvent as jest.Mock).mock.results;
  return Promise.all(
    calls.map(async ([options], i) => {
      const event = await results[i].value;
      return {
        options,
        success: event.success.mock.calls as unknown[][],
        fail: event.fail.mock.calls as unknown[][],
      };
    }),
  );
}

async function syncNowEvents(backend: ReconcilerTestBackend) {
  return (await auditEvents(backend)).filter(
    e => e.options.eventId === 'sync-now',
  );
}

describe.each(databases.eachSupportedId())(
  'external-secrets REST API (%s)',
  databaseId => {
    let sim: KubernetesSimulator;

    beforeAll(async () => {
      sim = await startKubernetesSimulator();
    });

    afterAll(async () => {
      await sim.stop();
    });

    async function startBackend(
      options: {
        knex?: Knex;
        permissions?: ServiceMock<PermissionsService>;
        config?: JsonObject;
        validateResponses?: boolean;
        unauthenticatedByDefault?: boolean;
      } = {},
    ) {
      return startReconcilerTestBackend({
        sim,
        entities: [ORDERS, HIDDEN, PAYMENTS],
        hiddenFromUsers: ['component:default/hidden-service'],
        knex:
          options.knex ?? (await databases.init(databaseId as TestDatabaseId)),
        permissions: options.permissions,
        validateResponses: options.validateResponses,
        // Entity-declared manifests are off unless a cluster allows them.
        config: {
          manifests: {
            clusters: [
              { name: 'test', allow: [{ namespaces: ['my-namespace'] }] },
            ],
          },
          ...options.config,
        },
        extraFeatures: [
          manifestReader().factory,
          ...(options.unauthenticatedByDefault
            ? [
                mockServices.httpAuth.factory({
                  defaultCredentials: mockCredentials.none(),
                }),
              ]
            : []),
        ],
      });
    }

    describe('reads', () => {
      const denied = new Set<string>();
      const permissions = permissionsDenying(denied);
      let backend: ReconcilerTestBackend;
      let knex: Knex;

      beforeAll(async () => {
        seedCluster(sim);
        knex = await databases.init(databaseId as TestDatabaseId);
        backend = await startBackend({ knex, permissions });
        await backend.runCycle();
      });

      afterAll(async () => {
        await backend.stop();
      });

      beforeEach(() => {
        denied.clear();
        permissions.authorize.mockClear();
      });

      it('should answer the status of an entity with its ExternalSecrets, validated against the OpenAPI document', async () => {
        const res = await request(backend.server).get(`${ORDERS_PATH}/status`);

        expect(res.status).toBe(200);
        expect(res.body.entityRef).toBe('component:default/orders-service');
        expect(
          res.body.externalSecrets.map(
            (es: { name: string; state: string }) => [es.name, es.state],
          ),
        ).toEqual([
          ['orders-broken', 'Error'],
          ['orders-db', 'Synced'],
        ]);
        expect(res.body.externalSecrets[1].keys).toEqual([
          expect.objectContaining({
            secretKey: 'api-key',
            remoteKey: 'PRESENT',
            state: 'synced',
          }),
        ]);
      });

      it('should answer a polling client’s conditional GET with 304 and no body, without reading the key rows', async () => {
        const first = await request(backend.server).get(
          `${ORDERS_PATH}/status`,
        );
        const etag = first.headers.etag;
        const queries: string[] = [];
        const onQuery = (q: { sql: string }) => queries.push(q.sql);
        knex.on('query', onQuery);
        let again: request.Response;
        try {
          again = await request(backend.server)
            .get(`${ORDERS_PATH}/status`)
            .set('If-None-Match', etag);
        } finally {
          knex.off('query', onQuery);
        }

        expect(first.status).toBe(200);
        expect(first.headers['cache-control']).toBe('private, no-cache');
        expect(again.status).toBe(304);
        expect(again.text).toBe('');
        expect(again.headers.etag).toBe(etag);
        // The ETag comes from the rows' version; the status itself is not read.
        expect(queries.join('\n')).not.toMatch(/es_keys/);
      });

      it('should answer a plain GET of an unchanged status from memory after a version query, without reading the rows (issue #22)', async () => {
        const first = await request(backend.server).get(
          `${ORDERS_PATH}/status`,
        );
        const queries: string[] = [];
        const onQuery = (q: { sql: string }) => queries.push(q.sql);
        knex.on('query', onQuery);
        let again: request.Response;
        try {
          again = await request(backend.server).get(`${ORDERS_PATH}/status`);
        } finally {
          knex.off('query', onQuery);
        }

        expect(again.status).toBe(200);
        expect(again.text).toBe(first.text);
        expect(again.headers.etag).toBe(first.headers.etag);
        expect(queries).toHaveLength(1);
        expect(queries.join('\n')).not.toMatch(/es_keys|\.\*/);
      });

      it('should answer 200 with a new ETag once a replica records a status change for the entity', async () => {
        const first = await request(backend.server).get(
          `${ORDERS_PATH}/status`,
        );
        // Another replica on the same database records a change.
        const otherReplica = await DatabaseStatusStore.create({
          database: {
            getClient: async () => knex,
            migrations: { skip: true },
          },
        });
        await otherReplica.saveRollout(
          { cluster: 'test', namespace: 'my-namespace', name: 'orders-db' },
          { mode: 'observe', consumers: [] },
        );

        const after = await request(backend.server)
          .get(`${ORDERS_PATH}/status`)
          .set('If-None-Match', first.headers.etag);

        expect(after.status).toBe(200);
        expect(after.headers.etag).toBeDefined();
        expect(after.headers.etag).not.toBe(first.headers.etag);
        expect(after.body.externalSecrets[1].rollout).toEqual({
          mode: 'observe',
          consumers: [],
        });
        // A plain GET too: the answer kept in memory was for the old version.
        await otherReplica.saveRollout(
          { cluster: 'test', namespace: 'my-namespace', name: 'orders-db' },
          undefined,
        );
        const plain = await request(backend.server).get(
          `${ORDERS_PATH}/status`,
        );
        expect(plain.body.externalSecrets[1].rollout).toBeUndefined();
        expect(plain.headers.etag).not.toBe(after.headers.etag);
      });

      it('should not carry any status field in the ETag, and not answer 304 to another entity’s ETag', async () => {
        const orders = await request(backend.server).get(
          `${ORDERS_PATH}/status`,
        );
        const payments = await request(backend.server)
          .get(`${PAYMENTS_PATH}/status`)
          .set('If-None-Match', orders.headers.etag);

        expect(orders.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]{16,64}"$/);
        for (const es of orders.body.externalSecrets) {
          expect(orders.headers.etag).not.toContain(es.name);
          expect(orders.headers.etag).not.toContain(es.state);
        }
        expect(payments.status).toBe(200);
      });

      it('should answer concurrent status requests with at most one shared database query each, each with its own entity (issue #22: status API at 50 clients)', async () => {
        const paths = Array.from({ length: 20 }, (_, i) =>
          i % 2 ? `${ORDERS_PATH}/status` : `${PAYMENTS_PATH}/status`,
        );
        const single = await request(backend.server).get(
          `${ORDERS_PATH}/status`,
        );
        const queries: string[] = [];
        const onQuery = (q: { sql: string }) => {
          if (q.sql.includes('es_entity_claims')) queries.push(q.sql);
        };
        knex.on('query', onQuery);
        let answers: request.Response[];
        try {
          answers = await Promise.all(
            paths.map((path, i) =>
              i % 4 === 1
                ? request(backend.server)
                    .get(path)
                    .set('If-None-Match', single.headers.etag)
                : request(backend.server).get(path),
            ),
          );
        } finally {
          knex.off('query', onQuery);
        }

        // Orders' own ETag on the conditional ones: unchanged, so 304.
        const payments = answers.find(
          (res, i) => paths[i].startsWith(PAYMENTS_PATH) && res.status === 200,
        );
        expect(
          answers.map(res => [res.status, res.headers.etag, res.text]),
        ).toEqual(
          paths.map((path, i) => {
            if (i % 4 === 1) return [304, single.headers.etag, ''];
            return path.startsWith(ORDERS_PATH)
              ? [200, single.headers.etag, single.text]
              : [200, payments?.headers.etag, payments?.text];
          }),
        );
        expect(payments?.body.entityRef).toBe(
          'component:default/payments-service',
        );
        // At most one query per request, fewer when they arrive together
        // (QueryBatcher.test.ts); a plain GET used to cost two: 35 here.
        expect(queries.length).toBeLessThanOrEqual(paths.length);
      });

      it('should not hand a batched status answer to a caller the catalog hides the entity from or without the read permission (issue #22)', async () => {
        const mallory = 'user:default/mallory';
        permissions.authorize.mockImplementation(async (requests, options) =>
          requests.map(() => ({
            result:
              (options?.credentials.principal as { userEntityRef?: string })
                .userEntityRef === mallory
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        );
        const allowed = await request(backend.server).get(
          `${ORDERS_PATH}/status`,
        );
        try {
          const attempts = await Promise.all(
            Array.from({ length: 12 }, (_, i) => {
              if (i % 3 === 0) {
                return request(backend.server).get(`${ORDERS_PATH}/status`);
              }
              const attempt =
                i % 3 === 1
                  ? request(backend.server)
                      .get(`${ORDERS_PATH}/status`)
                      .set(
                        'Authorization',
                        mockCredentials.user.header(mallory),
                      )
                  : request(backend.server).get(
                      `${API}/entities/component/default/hidden-service/status`,
                    );
              return attempt.set('If-None-Match', allowed.headers.etag);
            }),
          );

          expect(attempts.map(res => res.status)).toEqual(
            attempts.map((_, i) => [200, 403, 404][i % 3]),
          );
          const refused = attempts.filter((_, i) => i % 3 !== 0);
          const served = attempts.filter((_, i) => i % 3 === 0);
          expect(served.map(res => res.text)).toEqual(
            served.map(() => allowed.text),
          );
          for (const res of refused) {
            expect(res.headers.etag).not.toBe(allowed.headers.etag);
            expect(res.text).not.toMatch(
              /orders-db|orders-broken|hidden-db|api-key/,
            );
          }
        } finally {
          permissions.authorize.mockImplementation(async requests =>
            requests.map(r => ({
              result: denied.has(r.permission.name)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            })),
          );
        }
      });

      it('should answer the events of an entity, newest first, limited by limit', async () => {
        const all = await request(backend.server).get(`${ORDERS_PATH}/events`);
        const one = await request(backend.server).get(
          `${ORDERS_PATH}/events?limit=1`,
        );

        expect(all.status).toBe(200);
        expect(all.body.events.length).toBeGreaterThanOrEqual(2);
        expect(
          all.body.events.map((e: { createdAt: string }) => e.createdAt),
        ).toEqual(
          [...all.body.events.map((e: { createdAt: string }) => e.createdAt)]
            .sort()
            .reverse(),
        );
        expect(one.status).toBe(200);
        expect(one.body.events).toEqual([all.body.events[0]]);
      });

      it('should answer the stores with their Ready state', async () => {
        const res = await request(backend.server).get(`${API}/stores`);

        expect(res.status).toBe(200);
        expect(res.body.stores).toContainEqual(
          expect.objectContaining({
            cluster: 'test',
            kind: 'ClusterSecretStore',
            name: 'demo-store',
            origin: 'cluster',
            ready: true,
          }),
        );
      });

      it('should answer the overview with counts by state and the failing ExternalSecrets', async () => {
        const res = await request(backend.server).get(`${API}/overview`);

        expect(res.status).toBe(200);
        expect(res.body.counts).toEqual(
          expect.objectContaining({ Synced: 3, Error: 1 }),
        );
        expect(res.body.failing).toEqual([
          {
            entityRef: 'component:default/orders-service',
            externalSecret: expect.objectContaining({ name: 'orders-broken' }),
          },
        ]);
      });

      it('should answer /health without credentials, while other endpoints need them', async () => {
        const health = await request(backend.server)
          .get(`${API}/health`)
          .set('Authorization', mockCredentials.none.header());
        const stores = await request(backend.server)
          .get(`${API}/stores`)
          .set('Authorization', mockCredentials.none.header());

        expect(health.status).toBe(200);
        expect(health.body).toEqual({ status: 'ok' });
        expect(stores.status).toBe(401);
      });

      it.each([
        ['GET', `${ORDERS_PATH}/status`, READ],
        ['GET', `${ORDERS_PATH}/events`, READ],
        ['POST', `${ORDERS_PATH}/sync`, SYNC],
        ['GET', `${API}/stores`, STORES],
        ['GET', `${API}/overview`, OVERVIEW],
      ])(
        'should answer %s %s with 403 and no data when %s is denied',
        async (method, path, permission) => {
          denied.add(permission);

          const res = await send(method, path);

          expect(res.status).toBe(403);
          expect(res.body.error).toEqual({
            name: 'NotAllowedError',
            message: expect.stringContaining(permission),
          });
          expect(Object.keys(res.body).sort()).toEqual([
            'error',
            'request',
            'response',
          ]);
          expect(JSON.stringify(res.body)).not.toMatch(
            /orders-db|orders-broken|demo-store/,
          );
          expect(annotationsOf(sim, 'orders-db')['force-sync']).toBeUndefined();
        },
      );

      it.each([
        [
          'GET',
          `${ORDERS_PATH}/status`,
          READ,
          'component:default/orders-service',
        ],
        [
          'GET',
          `${ORDERS_PATH}/events`,
          READ,
          'component:default/orders-service',
        ],
        ['GET', `${API}/stores`, STORES, undefined],
        ['GET', `${API}/overview`, OVERVIEW, undefined],
      ])(
        'should check %s %s as %s with the requesting user and the right resource',
        async (method, path, permission, resourceRef) => {
          const res = await send(method, path);

          expect(res.status).toBe(200);
          const checks = permissions.authorize.mock.calls.filter(
            ([[req]]) => req.permission.name === permission,
          );
          expect(checks).toHaveLength(1);
          const [[[req], { credentials }]] = checks;
          expect('resourceRef' in req ? req.resourceRef : undefined).toBe(
            resourceRef,
          );
          expect(credentials.principal).toEqual(
            expect.objectContaining({
              type: 'user',
              userEntityRef: 'user:default/mock',
            }),
          );
        },
      );

      it.each([
        ['GET', 'status'],
        ['GET', 'events'],
        ['POST', 'sync'],
      ])(
        'should answer %s .../%s with the same 404 for an entity that does not exist and one the user cannot see',
        async (method, endpoint) => {
          const missing = await send(
            method,
            `${API}/entities/component/default/no-such-service/${endpoint}`,
          );
          const hidden = await send(
            method,
            `${API}/entities/component/default/hidden-service/${endpoint}`,
          );

          expect(missing.status).toBe(404);
          expect(hidden.status).toBe(404);
          expect(
            JSON.stringify(hidden.body).replaceAll(
              'hidden-service',
              'no-such-service',
            ),
          ).toBe(JSON.stringify(missing.body));
          expect(missing.body.error.name).toBe('NotFoundError');
          expect(annotationsOf(sim, 'hidden-db')['force-sync']).toBeUndefined();
        },
      );

      it('should keep the hidden entity synced: the 404 hides it, it does not skip it', async () => {
        expect(secretValue(sim, 'hidden-db')).toBe('v1');
      });

      it.each([
        [
          'a path segment with an encoded slash',
          'GET',
          `${API}/entities/component/default/..%2F..%2Fstores/status`,
          undefined,
          /name/,
        ],
        [
          'an overlong name',
          'GET',
          `${API}/entities/component/default/${'a'.repeat(64)}/status`,
          undefined,
          /name/,
        ],
        [
          'an invalid kind',
          'GET',
          `${API}/entities/comp%20onent/default/orders-service/status`,
          undefined,
          /kind/,
        ],
        ['limit=0', 'GET', `${ORDERS_PATH}/events?limit=0`, undefined, /limit/],
        [
          'limit=abc',
          'GET',
          `${ORDERS_PATH}/events?limit=abc`,
          undefined,
          /limit/,
        ],
        [
          'limit=1000',
          'GET',
          `${ORDERS_PATH}/events?limit=1000`,
          undefined,
          /limit/,
        ],
        [
          'limit=-1',
          'GET',
          `${ORDERS_PATH}/events?limit=-1`,
          undefined,
          /limit/,
        ],
        [
          'an unknown query parameter',
          'GET',
          `${ORDERS_PATH}/events?offset=5`,
          undefined,
          /offset/,
        ],
        [
          'an unknown body field',
          'POST',
          `${ORDERS_PATH}/sync`,
          { cluster: 'test', force: true },
          /additional properties|force/,
        ],
        [
          'a body field of the wrong type',
          'POST',
          `${ORDERS_PATH}/sync`,
          { name: 5 },
          /name/,
        ],
        [
          'an overlong namespace',
          'POST',
          `${ORDERS_PATH}/sync`,
          { namespace: 'n'.repeat(64) },
          /namespace/,
        ],
        [
          'malformed JSON',
          'POST',
          `${ORDERS_PATH}/sync`,
          '{"name":',
          /^request body is not valid JSON: /,
        ],
      ])(
        'should answer 400 with a message naming the problem for %s',
        async (_what, method, path, body, message) => {
          const res = await send(method, path, body);

          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(message);
          expect(annotationsOf(sim, 'orders-db')['force-sync']).toBeUndefined();
        },
      );

      it('should answer 400 for a sync body over 16 kB, saying so', async () => {
        const res = await send('POST', `${ORDERS_PATH}/sync`, {
          name: 'x'.repeat(17 * 1024),
        });

        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          /^request body is larger than the 16 kB limit/,
        );
        expect(annotationsOf(sim, 'orders-db')['force-sync']).toBeUndefined();
      });

      it('should answer 500 when a stored row would make a response that breaks the OpenAPI document', async () => {
        // Bumping updated_at as every write through the store does: the
        // route keeps the last answer per row version.
        await knex('es_external_secrets')
          .where({ name: 'orders-broken' })
          .update({ state: 'Exploded', updated_at: new Date().toISOString() });
        try {
          const res = await request(backend.server).get(
            `${ORDERS_PATH}/status`,
          );

          expect(res.status).toBe(500);
          expect(JSON.stringify(res.body)).toMatch(/state/);
        } finally {
          await knex('es_external_secrets')
            .where({ name: 'orders-broken' })
            .update({ state: 'Error', updated_at: new Date().toISOString() });
        }
      });

      function send(method: string, path: string, body?: unknown) {
        const req =
          method === 'POST'
            ? request(backend.server).post(path)
            : request(backend.server).get(path);
        if (typeof body === 'string') {
          return req.set('Content-Type', 'application/json').send(body);
        }
        return body === undefined ? req : req.send(body as object);
      }
    });

    describe('sync now', () => {
      let backend: ReconcilerTestBackend | undefined;

      beforeEach(() => {
        seedCluster(sim);
      });

      afterEach(async () => {
        await backend?.stop();
        backend = undefined;
      });

      it('should annotate the ExternalSecret CRs with force-sync, trigger the reconciler and audit what was requested', async () => {
        const permissions = permissionsDenying(new Set());
        backend = await startBackend({ permissions });
        await backend.runCycle();

        const res = await request(backend.server).post(`${ORDERS_PATH}/sync`);

        const requested = [
          {
            cluster: 'test',
            namespace: 'my-namespace',
            name: 'orders-broken',
            how: 'force-sync-annotation',
          },
          {
            cluster: 'test',
            namespace: 'my-namespace',
            name: 'orders-db',
            how: 'force-sync-annotation',
          },
        ];
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ requested });
        expect(annotationsOf(sim, 'orders-db')['force-sync']).toMatch(/^\d+$/);
        expect(permissions.authorize).toHaveBeenCalledWith(
          [
            {
              permission: expect.objectContaining({ name: SYNC }),
              resourceRef: 'component:default/orders-service',
            },
          ],
          {
            credentials: expect.objectContaining({
              principal: expect.objectContaining({
                userEntityRef: 'user:default/mock',
              }),
            }),
          },
        );
        expect(annotationsOf(sim, 'hidden-db')['force-sync']).toBeUndefined();
        expect(backend.scheduler.triggerTask).toHaveBeenCalledWith(
          'external-secrets-reconcile:test',
        );
        const [event] = await syncNowEvents(backend);
        expect(event.options).toEqual(
          expect.objectContaining({
            eventId: 'sync-now',
            meta: expect.objectContaining({
              entityRef: 'component:default/orders-service',
            }),
          }),
        );
        expect(event.success).toEqual([[{ meta: { requested } }]]);
        expect(event.fail).toEqual([]);
      });

      it('should make the next cycle sync an ExternalSecret CR that is not due', async () => {
        backend = await startBackend();
        await backend.runCycle();
        sim.seed(fakeStore('v2'));
        await backend.runCycle();
        expect(secretValue(sim, 'orders-db')).toBe('v1');

        const res = await request(backend.server)
          .post(`${ORDERS_PATH}/sync`)
          .send({ name: 'orders-db' });
        await backend.runCycle();

        expect(res.status).toBe(202);
        expect(res.body.requested).toEqual([
          expect.objectContaining({ name: 'orders-db' }),
        ]);
        expect(
          annotationsOf(sim, 'orders-broken')['force-sync'],
        ).toBeUndefined();
        expect(secretValue(sim, 'orders-db')).toBe('v2');
      });

      it('should schedule a declared-manifest ExternalSecret, which the next cycle syncs', async () => {
        backend = await startBackend();
        await backend.runCycle();
        expect(secretValue(sim, 'payments-db')).toBe('v1');
        sim.seed(fakeStore('v2'));
        await backend.runCycle();
        expect(secretValue(sim, 'payments-db')).toBe('v1');

        const res = await request(backend.server).post(`${PAYMENTS_PATH}/sync`);
        await backend.runCycle();

        expect(res.status).toBe(202);
        expect(res.body.requested).toEqual([
          {
            cluster: 'test',
            namespace: 'my-namespace',
            name: 'payments-db',
            how: 'scheduled',
          },
        ]);
        expect(secretValue(sim, 'payments-db')).toBe('v2');
      });

      it('should refuse sync-now without the sync permission, change nothing and audit the failure', async () => {
        backend = await startBackend({
          permissions: permissionsDenying(new Set([SYNC])),
        });
        await backend.runCycle();

        const res = await request(backend.server).post(`${ORDERS_PATH}/sync`);

        expect(res.status).toBe(403);
        expect(annotationsOf(sim, 'orders-db')['force-sync']).toBeUndefined();
        expect(backend.scheduler.triggerTask).not.toHaveBeenCalled();
        const [event] = await syncNowEvents(backend);
        expect(event.success).toEqual([]);
        expect(event.fail).toEqual([
          [{ error: expect.objectContaining({ name: 'NotAllowedError' }) }],
        ]);
      });

      it('should answer 404 naming the target when it matches none of the entity’s ExternalSecrets', async () => {
        backend = await startBackend();
        await backend.runCycle();

        const res = await request(backend.server)
          .post(`${ORDERS_PATH}/sync`)
          .send({ name: 'payments-db' });

        expect(res.status).toBe(404);
        expect(res.body.error.message).toContain('payments-db');
        const [event] = await syncNowEvents(backend);
        expect(event.fail).toHaveLength(1);
      });
    });

    describe('sync-now rate limit', () => {
      const backends: ReconcilerTestBackend[] = [];

      beforeEach(() => {
        seedCluster(sim);
      });

      afterEach(async () => {
        await Promise.all(backends.splice(0).map(b => b.stop()));
      });

      it('should count sync-now per user and entity, and say in Retry-After when to try again', async () => {
        const backend = await startBackend({
          config: { syncNow: { maxPerEntityPerMinute: 1 } },
        });
        backends.push(backend);
        await backend.runCycle();
        const asUser = (ref: string) =>
          request(backend.server)
            .post(`${ORDERS_PATH}/sync`)
            .set('Authorization', mockCredentials.user.header(ref));

        const first = await asUser('user:default/alice');
        const again = await asUser('user:default/alice');
        const otherUser = await asUser('user:default/bob');

        expect([first.status, again.status, otherUser.status]).toEqual([
          202, 429, 202,
        ]);
        const retryAfter = Number(again.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(again.body.error.message).toContain(`${retryAfter}s`);
      });

      it('should answer 429 over maxPerEntityPerMinute, counted in the database shared by two backends', async () => {
        const knex = await databases.init(databaseId as TestDatabaseId);
        const config = { syncNow: { maxPerEntityPerMinute: 2 } };
        const first = await startBackend({ knex, config });
        backends.push(first);
        const second = await startBackend({ knex, config });
        backends.push(second);
        await first.runCycle();

        const answers = [];
        for (const backend of [first, second, first, second]) {
          answers.push(
            await request(backend.server).post(`${ORDERS_PATH}/sync`),
          );
        }
        const otherEntity = await request(second.server).post(
          `${PAYMENTS_PATH}/sync`,
        );

        expect(answers.map(a => a.status)).toEqual([202, 202, 429, 429]);
        expect(answers[2].body.error.message).toMatch(
          /component:default\/orders-service.*2 requests per minute/,
        );
        expect(otherEntity.status).toBe(202);
        const failed = (await syncNowEvents(first)).filter(
          e => e.fail.length > 0,
        );
        expect(failed).toHaveLength(1);
      });
    });
  },
);
