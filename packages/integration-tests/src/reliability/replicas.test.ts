import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
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
  secretWrites,
  setRemote,
  startReliabilityWorld,
  SYNC_PATH,
} from './__testUtils__/reliabilityWorld';

jest.setTimeout(150_000);

const NAMES = ['rep-a', 'rep-b', 'rep-c'];

describe('two backend replicas on one PostgreSQL', () => {
  let world: ReliabilityWorld;
  let database: PostgresTestDatabase;
  const replicas: ReconcilerProcess[] = [];

  beforeEach(async () => {
    world = await startReliabilityWorld();
    database = await createPostgresTestDatabase();
    setRemote(world, 'DB_PASSWORD', 'round-0');
    setRemote(world, 'DB_USER', 'app');
    for (const name of NAMES) {
      world.kubernetes.seed(
        externalSecret(name, ['DB_PASSWORD', 'DB_USER'], {
          refreshInterval: '1s',
        }),
      );
    }
  });
  afterEach(async () => {
    world.kubernetes.clearFaults();
    for (const replica of replicas.splice(0)) await replica.stop();
    await world.stop();
    await database.drop();
  });

  async function startReplica(name: string, extra: JsonObject = {}) {
    const replica = await ReconcilerProcess.start({
      replica: name,
      database: {
        kind: 'postgres',
        connectionString: database.connectionString,
      },
      externalSecrets: pluginConfig(endpointsOf(world), {
        schedule: { frequency: { seconds: 1 }, timeout: { seconds: 8 } },
        concurrency: { kubernetesRequests: 1 },
        ...extra,
      }),
    });
    replicas.push(replica);
    return replica;
  }

  const allSecretsAre = (password: string) => () =>
    NAMES.every(n => secretData(world.kubernetes, n)?.db_password === password);

  /** Successful Secret updates per Secret name. */
  function successfulUpdates() {
    const counts = Object.fromEntries(NAMES.map(n => [n, 0]));
    for (const write of secretWrites(world.kubernetes)) {
      if (write.verb === 'update' && write.status === 200)
        counts[write.name!] += 1;
    }
    return counts;
  }

  function overlapping(a: CycleMessage[], b: CycleMessage[]) {
    return a.filter(x =>
      b.some(y => x.startedAt < y.endedAt && y.startedAt < x.endedAt),
    );
  }

  it('should run each cycle on one replica, write each change once, and fail over when a replica dies', async () => {
    const schedule = { frequency: { seconds: 1 }, timeout: { seconds: 4 } };
    // One after the other: two processes migrating an EMPTY database at once
    // race in knex's migration-lock table creation (PostgreSQL's
    // pg_type_typname_nsp_index), and one exits (see docs/reliability.md).
    const first = await startReplica('first', { schedule });
    const second = await startReplica('second', { schedule });
    await waitFor('the first sync', allSecretsAre('round-0'), 30_000);
    world.kubernetes.clearRequests();

    for (const round of [1, 2, 3]) {
      setRemote(world, 'DB_PASSWORD', `round-${round}`);
      await waitFor(`round ${round}`, allSecretsAre(`round-${round}`));
    }
    expect(successfulUpdates()).toEqual(
      Object.fromEntries(NAMES.map(n => [n, 3])),
    );
    expect(overlapping(first.cycles, second.cycles)).toEqual([]);

    // The replica that ran the last cycle is killed (often inside its next
    // cycle, holding the claim). The other one takes over within the timeout
    // (4 s, when the dead claim expires) plus its scheduler's janitor period
    // (Backstage frees expired claims once a minute), plus one frequency.
    const last = [...first.cycles, ...second.cycles].sort(
      (x, y) => y.endedAt - x.endedAt,
    )[0];
    const [dead, survivor] =
      last.replica === 'first' ? [first, second] : [second, first];
    await dead.kill();
    const survivorCycles = survivor.cycles.length;
    setRemote(world, 'DB_PASSWORD', 'round-4');
    await waitFor(
      'the survivor to sync round 4',
      allSecretsAre('round-4'),
      4_000 + 60_000 + 5_000,
    );
    await waitFor(
      'the survivor to report its cycle',
      () => survivor.cycles.length > survivorCycles,
    );
    expect(successfulUpdates()).toEqual(
      Object.fromEntries(NAMES.map(n => [n, 4])),
    );
  });

  it('should hold the sync-now rate limit across both replicas', async () => {
    const both = [
      await startReplica('first', { syncNow: { maxPerEntityPerMinute: 3 } }),
      await startReplica('second', { syncNow: { maxPerEntityPerMinute: 3 } }),
    ];
    await waitFor('the first sync', allSecretsAre('round-0'), 30_000);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const replica = both[i % 2];
      const res = await fetch(`${replica.baseUrl}${SYNC_PATH}`, {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: '{}',
      });
      statuses.push(res.status);
    }
    expect(statuses.filter(s => s === 202)).toHaveLength(3);
    expect(statuses.filter(s => s === 429)).toHaveLength(5);
  });

  it('should make no concurrent double write when a cycle outlives the scheduler timeout and another replica takes over', async () => {
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const slow = await startReplica('slow', {
      schedule: { frequency: { seconds: 1 }, timeout: { seconds: 2 } },
    });
    await waitFor('the first sync', allSecretsAre('round-0'), 30_000);
    world.kubernetes.clearRequests();
    world.kubernetes.injectFault({
      verb: 'update',
      resource: 'secrets',
      gate,
    });
    setRemote(world, 'DB_PASSWORD', 'round-1');
    await waitFor('the slow replica to start a write', () =>
      secretWrites(world.kubernetes).some(w => w.status === 0),
    );
    const [held] = secretWrites(world.kubernetes);

    // The slow cycle's claim expires `timeout` + `frequency` (3 s) after its
    // run began, which was before this write. A replica starting after that
    // frees the expired claim at startup (its scheduler's janitor, which then
    // sleeps a minute), claims the task and writes the same Secret. Started
    // earlier, its janitor finds nothing to free and the slow replica keeps
    // the task.
    await new Promise(resolve => setTimeout(resolve, 3_500));
    const takeover = await startReplica('takeover', {
      schedule: { frequency: { seconds: 1 }, timeout: { seconds: 2 } },
    });
    await waitFor(
      'both replicas writing the same Secret',
      () =>
        secretWrites(world.kubernetes, held.name).filter(w => w.status === 0)
          .length === 2,
      30_000,
    );
    release();
    await waitFor('round 1 everywhere', allSecretsAre('round-1'), 30_000);
    await waitFor(
      'the slow cycle to end, skipping what it had not started',
      () => slow.cycles.some(c => c.skipped > 0),
    );

    expect(successfulUpdates()).toEqual(
      Object.fromEntries(NAMES.map(n => [n, 1])),
    );
    const conflicts = secretWrites(world.kubernetes, held.name).filter(
      w => w.status === 409,
    );
    expect(conflicts).toHaveLength(1);
    await waitFor(
      'the takeover replica to report its cycle',
      () => takeover.cycles.length > 0,
    );
  });
});
