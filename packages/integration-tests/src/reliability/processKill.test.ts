import { mockCredentials } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPostgresTestDatabase,
  PostgresTestDatabase,
} from './__testUtils__/postgresTestDatabase';
import {
  ReconcilerProcess,
  ReplicaDatabase,
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
  STATUS_PATH,
} from './__testUtils__/reliabilityWorld';

jest.setTimeout(120_000);

const NAMES = ['proc-a', 'proc-b', 'proc-c', 'proc-d'];
const V1 = 'first-value-canary';
const V2 = 'second-value-canary';
/** The scheduler timeout: a dead replica's claim on the task expires after it. */
const TIMEOUT_S = 6;
const UPDATE_LATENCY_MS = 1_500;

type Storage = {
  database: ReplicaDatabase;
  cleanup(): Promise<void>;
};

async function sqliteFile(): Promise<Storage> {
  const dir = mkdtempSync(join(tmpdir(), 'esb-reliability-'));
  return {
    database: { kind: 'sqlite', directory: dir },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgres(): Promise<Storage> {
  const db: PostgresTestDatabase = await createPostgresTestDatabase();
  return {
    database: { kind: 'postgres', connectionString: db.connectionString },
    cleanup: () => db.drop(),
  };
}

describe.each([
  ['SQLite file', sqliteFile],
  ['PostgreSQL', postgres],
])('a backend process killed mid-cycle (%s)', (_label, createStorage) => {
  let world: ReliabilityWorld;
  let storage: Storage;
  const replicas: ReconcilerProcess[] = [];

  beforeEach(async () => {
    world = await startReliabilityWorld();
    storage = await createStorage();
  });
  afterEach(async () => {
    for (const replica of replicas.splice(0)) await replica.stop();
    await world.stop();
    await storage.cleanup();
  });

  async function startReplica(name: string) {
    const replica = await ReconcilerProcess.start({
      replica: name,
      database: storage.database,
      externalSecrets: pluginConfig(endpointsOf(world), {
        schedule: {
          frequency: { seconds: 1 },
          timeout: { seconds: TIMEOUT_S },
        },
        concurrency: { kubernetesRequests: 1 },
      }),
    });
    replicas.push(replica);
    return replica;
  }

  it('should leave no Secret emptied and finish the next cycle after a SIGKILL and restart', async () => {
    setRemote(world, 'DB_PASSWORD', V1);
    setRemote(world, 'DB_USER', 'app');
    for (const name of NAMES) {
      world.kubernetes.seed(
        externalSecret(name, ['DB_PASSWORD', 'DB_USER'], {
          refreshInterval: '1s',
          deletionPolicy: 'Delete',
        }),
      );
    }
    const first = await startReplica('first');
    await first.nextCycle(c => c.synced === NAMES.length && c.failed === 0);
    for (const name of NAMES) {
      expect(secretData(world.kubernetes, name)).toEqual({
        db_password: V1,
        db_user: 'app',
      });
    }

    // Kill between two writes: the first Secret update is slow and lands;
    // every later one is held until the process is dead and then never
    // reaches the apiserver. A writer that updates a Secret in more than one
    // request (emptied, then filled) leaves it half-written here.
    setRemote(world, 'DB_PASSWORD', V2);
    let killed!: () => void;
    const dead = new Promise<void>(resolve => {
      killed = resolve;
    });
    world.kubernetes.injectFault({
      verb: 'update',
      resource: 'secrets',
      latencyMs: UPDATE_LATENCY_MS,
      times: 1,
    });
    world.kubernetes.injectFault({
      verb: 'update',
      resource: 'secrets',
      gate: dead,
      dropConnection: true,
    });
    world.kubernetes.clearRequests();
    await waitFor('a Secret update answered', () =>
      secretWrites(world.kubernetes).some(w => w.status === 200),
    );
    await waitFor('the next write held', () =>
      secretWrites(world.kubernetes).some(w => w.status === 0),
    );
    await first.kill();
    const killedAt = Date.now();
    killed();

    const afterKill = NAMES.map(name => secretData(world.kubernetes, name));
    for (const data of afterKill) {
      expect(data?.db_user).toBe('app');
      expect([V1, V2]).toContain(data?.db_password);
    }
    expect(afterKill.filter(d => d?.db_password === V2).length).toBeLessThan(
      NAMES.length,
    );
    expect(
      secretWrites(world.kubernetes).filter(w => w.verb === 'delete'),
    ).toEqual([]);

    // The dead replica's claim on the task expires after the timeout; the
    // restarted one (its janitor runs at startup) then runs a full cycle.
    world.kubernetes.clearFaults();
    await new Promise(r =>
      setTimeout(
        r,
        Math.max(0, killedAt + TIMEOUT_S * 1000 + 500 - Date.now()),
      ),
    );
    const second = await startReplica('second');
    await second.nextCycle(
      c => c.synced === NAMES.length && c.failed === 0,
      30_000,
    );
    for (const name of NAMES) {
      expect(secretData(world.kubernetes, name)).toEqual({
        db_password: V2,
        db_user: 'app',
      });
    }
    const res = await fetch(`${second.baseUrl}${STATUS_PATH}`, {
      headers: { authorization: mockCredentials.user.header() },
    });
    expect(res.status).toBe(200);
    const rows = ((await res.json()) as { externalSecrets: any[] })
      .externalSecrets;
    expect(rows.map(r => [r.name, r.state, r.keys.length])).toEqual(
      NAMES.map(name => [name, 'Synced', 2]),
    );
  });
});
