import { JsonObject } from '@backstage/types';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
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

// Request batching does not depend on the database: SQLite only.
const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const NAMESPACES = ['team-a', 'team-b', 'team-c'];

function entity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

function externalSecret(name: string, namespace: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace,
      labels: { 'backstage.io/kubernetes-id': name },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake' },
      target: { name },
      data: [{ secretKey: 'token', remoteRef: { key: 'TOKEN' } }],
    },
  };
}

/** Two ExternalSecrets (and their entities) in each namespace. */
const WORKLOAD = NAMESPACES.flatMap(namespace =>
  [1, 2].map(n => ({ name: `${namespace}-svc-${n}`, namespace })),
);

describe('ReconcileCycle request batching', () => {
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
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'fake' },
      spec: {
        provider: { fake: { data: [{ key: 'TOKEN', value: 'fake-token' }] } },
      },
    });
    for (const { name, namespace } of WORKLOAD) {
      sim.seed(externalSecret(name, namespace));
    }
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(config?: JsonObject) {
    backend = await startReconcilerTestBackend({
      sim,
      entities: WORKLOAD.map(({ name }) => entity(name)),
      knex: await databases.init('SQLITE_3'),
      config,
    });
    return backend;
  }

  it('should ask for the next namespaces’ Secret lists before the first namespace’s ExternalSecrets are done', async () => {
    // Two ExternalSecrets at a time: without asking ahead, team-b's list
    // would wait until both team-a ExternalSecrets were written.
    const { runCycle } = await start({
      concurrency: { kubernetesRequests: 2 },
    });

    await runCycle();

    // The managed-Secret lists (full objects, by label); the name lists of a
    // first cycle ask for metadata only.
    const secretRequests = sim.requests.filter(
      r => r.resource === 'secrets' && r.query.labelSelector !== undefined,
    );
    const lists = secretRequests.filter(r => r.verb === 'list');
    expect(lists.map(r => r.namespace).sort()).toEqual(NAMESPACES);
    expect(
      secretRequests.slice(0, 2).map(r => `${r.verb} ${r.namespace}`),
    ).toEqual(['list team-a', 'list team-b']);
    expect(
      WORKLOAD.every(({ name, namespace }) =>
        sim.get({ kind: 'Secret', namespace, name }),
      ),
    ).toBe(true);
  });

  it('should leave the Secrets of a namespace whose Secret list is refused alone and sync the other namespaces', async () => {
    sim.injectFault({
      verb: 'list',
      resource: 'secrets',
      namespace: 'team-b',
      status: 403,
    });
    const { runCycle, server } = await start();

    await runCycle();

    const written = (namespace: string) =>
      WORKLOAD.filter(es => es.namespace === namespace).map(
        ({ name }) =>
          sim.get({ kind: 'Secret', namespace, name }) !== undefined,
      );
    expect(written('team-a')).toEqual([true, true]);
    expect(written('team-b')).toEqual([false, false]);
    expect(written('team-c')).toEqual([true, true]);
    const states = await Promise.all(
      WORKLOAD.filter(es => es.namespace !== 'team-b').map(async ({ name }) => {
        const res = await request(server).get(
          `/api/external-secrets/entities/component/default/${name}/status`,
        );
        return res.body.externalSecrets[0].state;
      }),
    );
    expect(states).toEqual(['Synced', 'Synced', 'Synced', 'Synced']);
  });

  it('should record an Error naming the refused Secret list on the ExternalSecrets of that namespace', async () => {
    sim.injectFault({
      verb: 'list',
      resource: 'secrets',
      namespace: 'team-b',
      status: 403,
    });
    const { runCycle, server } = await start();

    await runCycle();

    for (const { name } of WORKLOAD.filter(es => es.namespace === 'team-b')) {
      const res = await request(server).get(
        `/api/external-secrets/entities/component/default/${name}/status`,
      );
      expect(res.status).toBe(200);
      const [status] = res.body.externalSecrets;
      expect(status.state).toBe('Error');
      expect(status.message).toContain('team-b');
      expect(status.message).toContain('403');
    }
  });

  it('should create the Secrets of new ExternalSecrets without a read per Secret, and read none in a steady cycle', async () => {
    const { runCycle } = await start();

    await runCycle();

    const secretRequests = () =>
      sim.requests.filter(r => r.resource === 'secrets');
    expect(secretRequests().filter(r => r.verb === 'get')).toEqual([]);
    expect(secretRequests().filter(r => r.verb === 'list')).toHaveLength(
      NAMESPACES.length * 2,
    );
    expect(secretRequests().filter(r => r.verb === 'create')).toHaveLength(
      WORKLOAD.length,
    );

    sim.clearRequests();
    await runCycle();

    expect(
      secretRequests()
        .map(r => `${r.verb} ${r.namespace}`)
        .sort(),
    ).toEqual(NAMESPACES.map(namespace => `list ${namespace}`));
  });

  it('should write each ExternalSecret status with the resourceVersion it was listed with, without reading it again', async () => {
    const { runCycle } = await start();

    await runCycle();

    const esRequests = sim.requests.filter(r =>
      r.resource?.startsWith('externalsecrets'),
    );
    expect(esRequests.filter(r => r.verb === 'get')).toEqual([]);
    expect(
      esRequests.filter(
        r => r.verb === 'update' && r.resource === 'externalsecrets/status',
      ),
    ).toHaveLength(WORKLOAD.length);
    for (const { name, namespace } of WORKLOAD) {
      const es = sim.get({ kind: 'ExternalSecret', namespace, name }) as {
        status?: { conditions?: { reason?: string }[] };
      };
      expect(es.status?.conditions?.[0]?.reason).toBe('SecretSynced');
    }
  });
});
