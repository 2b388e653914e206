import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { readdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { DatabaseStatusStore } from './DatabaseStatusStore';

/**
 * Replicas of a fresh rollout start at the same moment on one EMPTY
 * PostgreSQL database: each runs the plugin's migrations. knex creates its
 * own migrations tables without a lock (check, then CREATE TABLE), so all but
 * one used to fail to start with `duplicate key value violates unique
 * constraint "pg_class_relname_nsp_index"` (issue #22). Backstage's scheduler
 * migrates its own tables in the plugin's database on its first use, with the
 * same race: a replica failed in its first scheduleTask instead.
 */
jest.setTimeout(120_000);

const PG_CONNECTION_ENV =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;
const postgres = Object.keys(process.env)
  .filter(name => PG_CONNECTION_ENV.test(name))
  .map(name => ({ name, connection: process.env[name]! }));
if (process.env.CI && postgres.length === 0) {
  throw new Error(
    'No PostgreSQL for the concurrent start test: run `eval "$(bash scripts/postgres.sh start)"`',
  );
}

const MIGRATIONS = readdirSync(resolvePath(__dirname, '../../migrations'));
const REPLICAS = 4;
/** The race does not hit every time: enough fresh databases to hit it reliably. */
const ROUNDS = 8;

function replicaClient(connection: string, database: string): Knex {
  const url = new URL(connection);
  url.pathname = `/${database}`;
  return knexFactory({ client: 'pg', connection: url.toString() });
}

const noMetrics = {
  createCounter: () => ({ add: () => undefined }),
  createHistogram: () => ({ record: () => undefined }),
  createGauge: () => ({ record: () => undefined }),
} as unknown as MetricsService;

function replicaScheduler(database: DatabaseService) {
  return DefaultSchedulerService.create({
    database,
    logger: mockServices.logger.mock(),
    metrics: noMetrics,
    rootLifecycle: mockServices.rootLifecycle.mock(),
    httpRouter: mockServices.httpRouter.mock(),
    pluginMetadata: { getId: () => 'external-secrets' },
  });
}

/**
 * What the plugin does at startup on each replica: its store, then its first
 * scheduler call (scheduleTask). The replicas reach that call at the same
 * moment, as in a rollout (the bench's replicas hit this race 1 start in 8).
 */
async function startTogether(clients: Knex[]) {
  const loggers = clients.map(() => mockServices.logger.mock());
  const replicas = clients.map(knex => {
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    return { database, scheduler: replicaScheduler(database) };
  });
  const failures: string[] = [];
  const failed = (error: unknown) => {
    failures.push(String((error as Error)?.message ?? error));
  };
  const stores = await Promise.allSettled(
    replicas.map(({ database, scheduler }, i) =>
      DatabaseStatusStore.create({ database, logger: loggers[i], scheduler }),
    ),
  );
  stores.forEach(s => s.status === 'rejected' && failed(s.reason));
  // The scheduler's tables are usable: a task no one scheduled is not found.
  await Promise.all(
    replicas.map(({ scheduler }) =>
      scheduler.triggerTask('not-scheduled').then(
        () => failed('triggerTask of a task no one scheduled succeeded'),
        error => (error?.name === 'NotFoundError' ? undefined : failed(error)),
      ),
    ),
  );
  const infos = loggers.flatMap(l => l.info.mock.calls.map(c => String(c[0])));
  return { failures, infos };
}

async function migrationsRecorded(knex: Knex) {
  return (await knex('knex_migrations').select('name')).length;
}

describe('SQLite', () => {
  it('should migrate as before, and a restart finds nothing left to do', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    try {
      expect(await startTogether([knex])).toEqual({ failures: [], infos: [] });
      expect(await startTogether([knex])).toEqual({ failures: [], infos: [] });
      expect(await migrationsRecorded(knex)).toBe(MIGRATIONS.length);
    } finally {
      await knex.destroy();
    }
  });
});

const describeEachPostgres = postgres.length
  ? describe.each(postgres)
  : () => undefined;

describeEachPostgres('$name', ({ connection }) => {
  const admin = knexFactory({ client: 'pg', connection });
  const databases: string[] = [];

  afterAll(async () => {
    for (const database of databases) {
      await admin.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
    await admin.destroy();
  });

  it(`should start ${REPLICAS} replicas together on an empty database, every time, with the scheduler's tables, and leave one migration lock`, async () => {
    let waited = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const database = `esb_concurrent_start_${process.pid}_${round}`;
      databases.push(database);
      await admin.raw(`CREATE DATABASE ${database}`);
      const clients = Array.from({ length: REPLICAS }, () =>
        replicaClient(connection, database),
      );
      try {
        const { failures, infos } = await startTogether(clients);
        expect({ round, failures }).toEqual({ round, failures: [] });
        waited += infos.filter(m =>
          /another replica is migrating/.test(m),
        ).length;

        // Every migration ran once, and knex's lock table has its one row,
        // free: a replica restarted later can take it.
        expect(await migrationsRecorded(clients[0])).toBe(MIGRATIONS.length);
        expect(
          await clients[0]('knex_migrations_lock').select('is_locked'),
        ).toEqual([{ is_locked: 0 }]);
        expect(await startTogether([clients[0]])).toEqual({
          failures: [],
          infos: [],
        });
      } finally {
        await Promise.all(clients.map(c => c.destroy()));
      }
    }
    // Replicas that found another one migrating said so, at info.
    expect(waited).toBeGreaterThan(0);
  });
});
