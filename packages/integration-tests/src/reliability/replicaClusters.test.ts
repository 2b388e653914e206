import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';
import {
  createPostgresTestDatabase,
  PostgresTestDatabase,
} from './__testUtils__/postgresTestDatabase';
import {
  CycleMessage,
  ReconcilerProcess,
  waitFor,
} from './__testUtils__/ReconcilerProcess';
import {
  endpointsOf,
  externalSecret,
  pluginConfig,
  ReliabilityWorld,
  secretData,
  seedNamespace,
  setRemote,
  startReliabilityWorld,
} from './__testUtils__/reliabilityWorld';

jest.setTimeout(180_000);

const CLUSTERS = ['c1', 'c2', 'c3', 'c4'];

/**
 * Issue #22: one scheduled task per cluster (`scope: 'global'`), so two
 * replicas on one PostgreSQL share four clusters: each cluster is held by one
 * replica at a time, both replicas do work, and when one dies its clusters
 * move to the other once their runs time out (plus the scheduler janitor's
 * minute, as for the single task before).
 */
describe('two replicas sharing four clusters on one PostgreSQL', () => {
  let world: ReliabilityWorld;
  let database: PostgresTestDatabase;
  const clusters = new Map<string, KubernetesSimulator>();
  const replicas: ReconcilerProcess[] = [];

  beforeAll(async () => {
    world = await startReliabilityWorld();
    database = await createPostgresTestDatabase();
    setRemote(world, 'DB_PASSWORD', 'v1');
    clusters.set('c1', world.kubernetes);
    for (const name of CLUSTERS.slice(1)) {
      const sim = await startKubernetesSimulator();
      seedNamespace(sim);
      clusters.set(name, sim);
    }
    for (const sim of clusters.values()) {
      sim.seed(
        externalSecret('db', ['DB_PASSWORD'], { refreshInterval: '1h' }),
      );
    }
  });
  afterAll(async () => {
    for (const replica of replicas.splice(0)) await replica.stop();
    for (const name of CLUSTERS.slice(1)) await clusters.get(name)!.stop();
    await world.stop();
    await database.drop();
  });

  async function startReplica(name: string) {
    const base = pluginConfig(endpointsOf(world));
    const replica = await ReconcilerProcess.start({
      replica: name,
      database: {
        kind: 'postgres',
        connectionString: database.connectionString,
      },
      externalSecrets: {
        ...base,
        clusters: CLUSTERS.map(cluster => ({
          name: cluster,
          url: clusters.get(cluster)!.url,
          serviceAccountToken: clusters.get(cluster)!.token,
          mode: 'reconcile',
          esoFree: true,
        })),
        schedule: { frequency: { seconds: 2 }, timeout: { seconds: 5 } },
      },
    });
    replicas.push(replica);
    return replica;
  }

  /** Cycles of one cluster that ran on two replicas at the same time. */
  function overlapping(cycles: CycleMessage[]) {
    return cycles.filter(x =>
      cycles.some(
        y =>
          x.cluster === y.cluster &&
          x.replica !== y.replica &&
          x.startedAt < y.endedAt &&
          y.startedAt < x.endedAt,
      ),
    );
  }

  const clustersOf = (cycles: CycleMessage[]) =>
    new Set(cycles.map(c => c.cluster));

  it('runs disjoint clusters on each replica and moves a dead replica’s clusters', async () => {
    const first = await startReplica('first');
    const second = await startReplica('second');
    await waitFor(
      'every cluster synced',
      () =>
        CLUSTERS.every(
          c => secretData(clusters.get(c)!, 'db')?.db_password === 'v1',
        ),
      60_000,
    );
    // Long enough for each cluster to be claimed several times (hold 2 s).
    await new Promise(resolve => setTimeout(resolve, 15_000));
    const all = [...first.cycles, ...second.cycles];
    expect(clustersOf(all)).toEqual(new Set(CLUSTERS));
    expect(overlapping(all)).toEqual([]);
    // The clusters are spread: both replicas held some.
    expect(clustersOf(first.cycles).size).toBeGreaterThan(0);
    expect(clustersOf(second.cycles).size).toBeGreaterThan(0);

    const [dead, survivor] =
      clustersOf(first.cycles).size >= clustersOf(second.cycles).size
        ? [first, second]
        : [second, first];
    await dead.kill();
    const killedAt = Date.now();
    await waitFor(
      'the survivor to run every cluster',
      () =>
        clustersOf(survivor.cycles.filter(c => c.startedAt > killedAt)).size ===
        CLUSTERS.length,
      // Timeout of the dead runs (5 s + 2 s hold), the janitor's minute, one gap.
      7_000 + 60_000 + 10_000,
    );
    expect(overlapping([...dead.cycles, ...survivor.cycles])).toEqual([]);
  });
});
