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
 * constraint "pg_class_relname_nsp_index"` (issue #22).
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

async function startTogether(clients: Knex[]) {
  const loggers = clients.map(() => mockServices.logger.mock());
  const started = await Promise.allSettled(
    clients.map((knex, i) =>
      DatabaseStatusStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
        logger: loggers[i],
      }),
    ),
  );
  const failures = started
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map(s => String(s.reason?.message ?? s.reason));
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

  it(`should start ${REPLICAS} replicas together on an empty database, every time, and leave one migration lock`, async () => {
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
