import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
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
const CANARY = 'canary-store-key-VALUE-5f2c-never-print';
const KEYS_READ = 'external-secrets.stores.keys.read';

function seed(sim: KubernetesSimulator) {
  sim.reset();
  sim.seed(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'shared' },
      spec: {
        provider: {
          fake: {
            data: [
              { key: 'ZETA', value: CANARY },
              {
                key: 'DB_JSON',
                value: JSON.stringify({ user: 'app', password: CANARY }),
              },
              {
                key: 'DB_JSON',
                value: JSON.stringify({ password: CANARY, host: 'db-v1' }),
                version: 'v1',
              },
              { key: 'ALPHA', value: CANARY, version: 'v1' },
              { key: 'ALPHA', value: CANARY, version: 'v2' },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'team-store', namespace: 'team-a' },
      spec: {
        provider: { fake: { data: [{ key: 'TEAM_KEY', value: CANARY }] } },
      },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'broken' },
      // An Infisical store without its provider module installed: validated Not Ready.
      spec: { provider: { infisical: { secretsScope: {} } } },
    },
  );
}

/**
 * The seeded cluster and a backend after its first cycle (stores validated),
 * whose permission policy denies the permissions `denied` holds.
 */
async function startStoreKeysWorld(denied: Set<string>, config?: JsonObject) {
  const sim = await startKubernetesSimulator();
  seed(sim);
  const backend = await startReconcilerTestBackend({
    sim,
    entities: [],
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result: denied.has(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })),
    }),
    ...(config && { config }),
  });
  await backend.runCycle();
  return { sim, backend };
}

describe('GET /stores/{cluster}/{kind}/{namespace}/{name}/keys', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend;
  const denied = new Set<string>();

  beforeAll(async () => {
    ({ sim, backend } = await startStoreKeysWorld(denied, {
      stores: [
        {
          kind: 'ClusterSecretStore',
          metadata: { name: 'from-config' },
          spec: {
            provider: {
              fake: { data: [{ key: 'CONFIG_KEY', value: CANARY }] },
            },
          },
        },
      ],
    }));
  });

  afterAll(async () => {
    await backend.stop();
    await sim.stop();
  });

  beforeEach(() => denied.clear());

  it.each([
    ['test/ClusterSecretStore/-/shared', ['ALPHA', 'DB_JSON', 'ZETA']],
    ['test/SecretStore/team-a/team-store', ['TEAM_KEY']],
    ['-/ClusterSecretStore/-/from-config', ['CONFIG_KEY']],
  ])(
    'should answer the key names of %s, sorted and unique, without a value',
    async (path, keys) => {
      const res = await request(backend.server).get(`${API}/${path}/keys`);

      expect(res.status).toBe(200);
      expect(res.body.keys).toEqual(keys);
      expect(res.body.truncated).toBe(false);
      expect(JSON.stringify(res.body)).not.toContain(CANARY);
    },
  );

  it('should echo the store it answered for, with empty cluster and namespace for "-"', async () => {
    const res = await request(backend.server).get(
      `${API}/-/ClusterSecretStore/-/from-config/keys`,
    );

    expect(res.body.store).toEqual({
      cluster: '',
      kind: 'ClusterSecretStore',
      namespace: '',
      name: 'from-config',
    });
  });

  it('should answer 403 without the keys permission, naming it', async () => {
    denied.add(KEYS_READ);
    const res = await request(backend.server).get(
      `${API}/test/ClusterSecretStore/-/shared/keys`,
    );

    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(KEYS_READ);
    expect(JSON.stringify(res.body)).not.toContain('ALPHA');
  });

  it('should answer 404 naming a store it does not know', async () => {
    const res = await request(backend.server).get(
      `${API}/test/ClusterSecretStore/-/nowhere/keys`,
    );

    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(
      'ClusterSecretStore nowhere (cluster test) is not a known store',
    );
  });

  it('should answer 409 with the store’s reason when it is not Ready', async () => {
    const res = await request(backend.server).get(
      `${API}/test/ClusterSecretStore/-/broken/keys`,
    );

    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^ClusterSecretStore broken \(cluster test\) is not Ready \(Invalid\w+: .+\)/,
    );
  });

  it('should answer 400 for a kind that is not a store kind', async () => {
    const res = await request(backend.server).get(
      `${API}/test/Secret/-/shared/keys`,
    );

    expect(res.status).toBe(400);
  });
});

describe('POST /stores/{cluster}/{kind}/{namespace}/{name}/keys/check', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend;
  const denied = new Set<string>();

  beforeAll(async () => {
    ({ sim, backend } = await startStoreKeysWorld(denied));
  });

  afterAll(async () => {
    await backend.stop();
    await sim.stop();
  });

  beforeEach(() => denied.clear());

  const check = (keys: unknown) =>
    request(backend.server)
      .post(`${API}/test/ClusterSecretStore/-/shared/keys/check`)
      .send({ keys });

  it('should say which keys the reconciler reads, with "did you mean" names for the others, and no value', async () => {
    const res = await check(['ZETA', 'ZETTA']);

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { key: 'ZETA', readable: true, suggestions: [] },
      {
        key: 'ZETTA',
        readable: false,
        message: expect.stringContaining('ZETTA'),
        suggestions: ['ZETA'],
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
  });

  it('should fail a remoteRef.property the reconciler could not resolve (value not JSON, no such property), naming key and property, never the value', async () => {
    // As a sync resolves data[].remoteRef.property (ESO: gjson on the
    // fetched value, pkg/controllers/externalsecret, getSecret → property):
    // a value that is not JSON, or JSON without the property, fails the key.
    const res = await request(backend.server)
      .post(`${API}/test/ClusterSecretStore/-/shared/keys/check`)
      .send({
        keys: ['DB_JSON'],
        properties: [
          { key: 'DB_JSON', property: 'password' },
          { key: 'DB_JSON', property: 'host' },
          { key: 'ZETA', property: 'password' },
          { key: 'ZETTA', property: 'password' },
        ],
      });

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { key: 'DB_JSON', readable: true, suggestions: [] },
      { key: 'DB_JSON', property: 'password', readable: true, suggestions: [] },
      {
        key: 'DB_JSON',
        property: 'host',
        readable: false,
        message:
          'PropertyNotFound: property "host" does not exist in remote key "DB_JSON"',
        suggestions: [],
      },
      {
        key: 'ZETA',
        property: 'password',
        readable: false,
        message: expect.stringMatching(
          /^NotJson: property "password" needs a JSON value, but remote key "ZETA" is not JSON/,
        ),
        suggestions: [],
      },
      {
        key: 'ZETTA',
        property: 'password',
        readable: false,
        message: expect.stringContaining('ZETTA'),
        suggestions: ['ZETA'],
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
    expect(JSON.stringify(res.body)).not.toContain('canary');
  });

  it('should resolve a property in the version remoteRef.version pins, as the sync reads it', async () => {
    // The sync reads getSecret({ key, version }) (executeReads.ts), so the
    // check must too: v1 has "host", the latest value does not.
    const res = await request(backend.server)
      .post(`${API}/test/ClusterSecretStore/-/shared/keys/check`)
      .send({
        keys: ['DB_JSON'],
        properties: [
          { key: 'DB_JSON', property: 'host', version: 'v1' },
          { key: 'DB_JSON', property: 'host' },
          { key: 'DB_JSON', property: 'host', version: 'v9' },
        ],
      });

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { key: 'DB_JSON', readable: true, suggestions: [] },
      {
        key: 'DB_JSON',
        property: 'host',
        version: 'v1',
        readable: true,
        suggestions: [],
      },
      {
        key: 'DB_JSON',
        property: 'host',
        readable: false,
        message:
          'PropertyNotFound: property "host" does not exist in remote key "DB_JSON"',
        suggestions: [],
      },
      {
        key: 'DB_JSON',
        property: 'host',
        version: 'v9',
        readable: false,
        message: expect.stringContaining('version "v9" does not exist'),
        suggestions: expect.any(Array),
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
  });

  it('should answer 403 without the keys permission', async () => {
    denied.add(KEYS_READ);

    const res = await check(['ALPHA']);

    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(KEYS_READ);
  });

  it('should refuse a request without keys', async () => {
    expect((await check([])).status).toBe(400);
  });
});
