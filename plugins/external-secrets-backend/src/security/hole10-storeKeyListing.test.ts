import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
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

const API = '/api/external-secrets/stores';
const KEYS_READ = 'external-secrets.stores.keys.read';
const STORE_X = 'test/ClusterSecretStore/-/team-x-store';
const STORE_Y = 'test/ClusterSecretStore/-/team-y-store';
const ALICE = mockCredentials.user.header('user:default/alice');
const BOB = mockCredentials.user.header('user:default/bob');
const LIMIT = 3;

/** A provider whose every key listing is counted: the cost the cache saves. */
function countingModule(listings: string[]) {
  const provider: SecretsProvider = {
    name: 'counting',
    capabilities: {
      readScope: false,
      versions: false,
      find: { path: false, nameRegexp: false, tags: false },
    },
    validateStoreSpec: () => [],
    endpoints: () => [],
    validateStore: async () => ({ ready: true, reason: 'Valid', message: '' }),
    async newClient(store) {
      return {
        getSecret: async () => {
          throw new Error('not used');
        },
        findSecrets: async () => new Map(),
        listKeyNames: async () => {
          listings.push(store.metadata.name);
          return {
            keys: [`${store.metadata.name.toUpperCase()}_KEY`],
            complete: true,
          };
        },
        close: async () => {},
      };
    },
  };
  return createBackendModule({
    pluginId: 'external-secrets',
    moduleId: 'counting-provider',
    register(env) {
      env.registerInit({
        deps: { providers: externalSecretsProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(provider);
        },
      });
    },
  });
}

const clusterStore = (name: string) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name },
  spec: { provider: { counting: {} } },
});

describe('hole 10: key listing is a per-store permission, cached and rate-limited', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend;
  const listings: string[] = [];
  const authorized: { permission: string; resourceRef?: string }[] = [];
  let allowOnlyStoreY = false;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(() => sim.stop());

  beforeEach(async () => {
    sim.reset();
    sim.seed(clusterStore('team-x-store'), clusterStore('team-y-store'));
    listings.length = 0;
    authorized.length = 0;
    allowOnlyStoreY = false;
    backend = await startReconcilerTestBackend({
      sim,
      entities: [],
      extraFeatures: [countingModule(listings)],
      permissions: mockServices.permissions.mock({
        // The policy: everything, or the keys of store Y only.
        authorize: async requests =>
          requests.map(r => {
            const resourceRef = (r as { resourceRef?: string }).resourceRef;
            authorized.push({ permission: r.permission.name, resourceRef });
            return {
              result:
                allowOnlyStoreY &&
                r.permission.name === KEYS_READ &&
                resourceRef !== STORE_Y
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            };
          }),
      }),
      config: { storeKeys: { maxPerUserPerMinute: LIMIT } },
    });
    await backend.runCycle();
    listings.length = 0;
  });
  afterEach(() => backend.stop());

  const keysOf = (store: string, user = ALICE) =>
    request(backend.server)
      .get(`${API}/${store}/keys`)
      .set('authorization', user);

  it('should answer 403 for store X and the names for store Y to a user allowed only for Y', async () => {
    allowOnlyStoreY = true;
    const x = await keysOf(STORE_X);
    const y = await keysOf(STORE_Y);

    expect(x.status).toBe(403);
    expect(x.body.error.message).toContain(`${KEYS_READ} on ${STORE_X}`);
    expect(JSON.stringify(x.body)).not.toContain('TEAM-X-STORE_KEY');
    expect(listings).not.toContain('team-x-store');
    expect(y.status).toBe(200);
    expect(y.body.keys).toEqual(['TEAM-Y-STORE_KEY']);
    expect(authorized).toContainEqual({
      permission: KEYS_READ,
      resourceRef: STORE_Y,
    });
  });

  it('should cost one provider call for two requests within the cache TTL', async () => {
    const first = await keysOf(STORE_Y);
    const second = await keysOf(STORE_Y, BOB);

    expect(first.body.keys).toEqual(['TEAM-Y-STORE_KEY']);
    expect(second.body.keys).toEqual(['TEAM-Y-STORE_KEY']);
    expect(listings).toEqual(['team-y-store']);
  });

  it('should answer 429 with Retry-After to a burst beyond the per-user limit, and not to another user', async () => {
    const burst = [];
    for (let i = 0; i < LIMIT + 2; i++) burst.push(await keysOf(STORE_Y));

    expect(burst.slice(0, LIMIT).map(r => r.status)).toEqual(
      Array(LIMIT).fill(200),
    );
    const refused = burst[LIMIT];
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.error.message).toContain(
      `${LIMIT} key listings per minute`,
    );
    expect((await keysOf(STORE_Y, BOB)).status).toBe(200);
  });
});
