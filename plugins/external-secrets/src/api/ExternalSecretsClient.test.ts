import { ResponseError } from '@backstage/errors';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  eventsResponse,
  overviewResponse,
  statusResponse,
  storesResponse,
  syncedExternalSecret,
} from '../__fixtures__/status';
import type { StoreLocator } from './ExternalSecretsApi';
import { ExternalSecretsClient } from './ExternalSecretsClient';

const baseUrl = 'http://backstage.test/api/external-secrets';
const entityRef = {
  kind: 'Component',
  namespace: 'default',
  name: 'orders-service',
};

function errorBody(name: string, message: string) {
  return { error: { name, message }, request: {}, response: {} };
}

describe('ExternalSecretsClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ExternalSecretsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  });

  describe('getEntityStatus', () => {
    it('should read the status through the fetch API with the user token', async () => {
      const body = statusResponse(syncedExternalSecret());
      let authorization: string | null = null;
      server.use(
        http.get(
          `${baseUrl}/entities/component/default/orders-service/status`,
          ({ request }) => {
            authorization = request.headers.get('authorization');
            return HttpResponse.json(body);
          },
        ),
      );

      await expect(client.getEntityStatus(entityRef)).resolves.toEqual(body);
      expect(authorization).toBe('Bearer user-token');
    });

    it('should URL-encode every part of the entity ref', async () => {
      let path = '';
      server.use(
        http.get(`${baseUrl}/entities/*`, ({ request }) => {
          path = new URL(request.url).pathname;
          return HttpResponse.json(statusResponse());
        }),
      );

      await client.getEntityStatus({
        kind: 'Component',
        namespace: 'team a',
        name: 'svc/../x?y',
      });

      expect(path).toBe(
        '/api/external-secrets/entities/component/team%20a/svc%2F..%2Fx%3Fy/status',
      );
    });

    it.each([
      [
        403,
        'NotAllowedError',
        'not allowed to read component:default/orders-service',
      ],
      [
        404,
        'NotFoundError',
        'entity component:default/orders-service not found',
      ],
      [500, 'Error', 'database is locked'],
    ])(
      'should reject with a ResponseError carrying status %i and the server message',
      async (status, name, message) => {
        server.use(
          http.get(`${baseUrl}/entities/*`, () =>
            HttpResponse.json(errorBody(name, message), { status }),
          ),
        );

        const error = await client.getEntityStatus(entityRef).catch(e => e);

        expect(ResponseError.is(error)).toBe(true);
        expect(error.statusCode).toBe(status);
        expect(error.cause.message).toBe(message);
      },
    );
  });

  describe('getEntityEvents', () => {
    it('should pass the limit as a query parameter', async () => {
      let limit: string | null = null;
      server.use(
        http.get(
          `${baseUrl}/entities/component/default/orders-service/events`,
          ({ request }) => {
            limit = new URL(request.url).searchParams.get('limit');
            return HttpResponse.json(eventsResponse());
          },
        ),
      );

      const response = await client.getEntityEvents(entityRef, { limit: 25 });

      expect(limit).toBe('25');
      expect(response.events).toHaveLength(3);
    });
  });

  describe('syncEntity', () => {
    it('should POST the request body and return what was requested', async () => {
      let received: unknown;
      server.use(
        http.post(
          `${baseUrl}/entities/component/default/orders-service/sync`,
          async ({ request }) => {
            received = await request.json();
            return HttpResponse.json(
              {
                requested: [
                  {
                    cluster: 'dev-cluster',
                    namespace: 'orders',
                    name: 'orders-db',
                    how: 'force-sync-annotation',
                  },
                ],
              },
              { status: 202 },
            );
          },
        ),
      );

      const response = await client.syncEntity(entityRef, {
        cluster: 'dev-cluster',
        namespace: 'orders',
        name: 'orders-db',
      });

      expect(received).toEqual({
        cluster: 'dev-cluster',
        namespace: 'orders',
        name: 'orders-db',
      });
      expect(response.requested[0].how).toBe('force-sync-annotation');
    });

    it('should reject with status 429 and the server message when rate limited', async () => {
      server.use(
        http.post(`${baseUrl}/entities/*`, () =>
          HttpResponse.json(
            errorBody('TooManyRequestsError', 'sync-now allowed once per 30s'),
            { status: 429 },
          ),
        ),
      );

      const error = await client.syncEntity(entityRef).catch(e => e);

      expect(error.statusCode).toBe(429);
      expect(error.cause.message).toBe('sync-now allowed once per 30s');
    });
  });

  describe('listStoreKeys', () => {
    it.each<[string, StoreLocator, string]>([
      [
        'a namespaced store',
        {
          cluster: 'dev-cluster',
          kind: 'SecretStore',
          namespace: 'payments',
          name: 'infisical-payments',
        },
        '/api/external-secrets/stores/dev-cluster/SecretStore/payments/infisical-payments/keys',
      ],
      [
        'a cluster-scoped store with an empty namespace',
        {
          cluster: 'dev-cluster',
          kind: 'ClusterSecretStore',
          namespace: '',
          name: 'infisical',
        },
        '/api/external-secrets/stores/dev-cluster/ClusterSecretStore/-/infisical/keys',
      ],
      [
        'an app-config store (no cluster, no namespace)',
        { cluster: '', kind: 'ClusterSecretStore', name: 'demo-store' },
        '/api/external-secrets/stores/-/ClusterSecretStore/-/demo-store/keys',
      ],
      [
        'a store whose parts need encoding',
        { cluster: 'kind local', kind: 'ClusterSecretStore', name: 'a/b?c' },
        '/api/external-secrets/stores/kind%20local/ClusterSecretStore/-/a%2Fb%3Fc/keys',
      ],
    ])(
      'should read the key names of %s from its own path',
      async (_name, store, expectedPath) => {
        let path = '';
        let authorization: string | null = null;
        const body = {
          store: {
            ...store,
            cluster: store.cluster || '-',
            namespace: store.namespace || '-',
          },
          keys: ['DB_PASSWORD', 'DB_USER'],
          truncated: false,
        };
        server.use(
          http.get(`${baseUrl}/stores/*`, ({ request }) => {
            path = new URL(request.url).pathname;
            authorization = request.headers.get('authorization');
            return HttpResponse.json(body);
          }),
        );

        await expect(client.listStoreKeys(store)).resolves.toEqual(body);
        expect(path).toBe(expectedPath);
        expect(authorization).toBe('Bearer user-token');
      },
    );

    it('should reject with status 403 and the server message without the keys permission', async () => {
      server.use(
        http.get(`${baseUrl}/stores/*`, () =>
          HttpResponse.json(
            errorBody(
              'NotAllowedError',
              'not allowed: external-secrets.stores.keys.read',
            ),
            { status: 403 },
          ),
        ),
      );

      const error = await client
        .listStoreKeys({
          cluster: 'dev-cluster',
          kind: 'ClusterSecretStore',
          name: 'infisical',
        })
        .catch(e => e);

      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe(
        'not allowed: external-secrets.stores.keys.read',
      );
    });
  });

  describe('admin reads', () => {
    it('should read stores, overview and health', async () => {
      server.use(
        http.get(`${baseUrl}/stores`, () =>
          HttpResponse.json(storesResponse()),
        ),
        http.get(`${baseUrl}/overview`, () =>
          HttpResponse.json(overviewResponse()),
        ),
        http.get(`${baseUrl}/health`, () =>
          HttpResponse.json({ status: 'ok' }),
        ),
      );

      expect((await client.getStores()).stores).toHaveLength(2);
      expect((await client.getOverview()).counts.Synced).toBe(12);
      expect(await client.getHealth()).toEqual({ status: 'ok' });
    });
  });
});
