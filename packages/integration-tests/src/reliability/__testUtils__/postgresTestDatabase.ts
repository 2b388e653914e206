/**
 * A fresh PostgreSQL database of its own on the test instance that
 * `scripts/postgres.sh` runs, with the admin operations the reliability suites
 * need: connection details for child processes and a real outage (the
 * database refuses new connections and its open ones are terminated).
 */
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';

const PG_CONNECTION_ENV =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/** The connection string of the test PostgreSQL; fails with the fix when absent. */
export function postgresConnectionString(): string {
  const name = Object.keys(process.env)
    .filter(key => PG_CONNECTION_ENV.test(key))
    .sort()
    .pop();
  if (!name) {
    throw new Error(
      'The reliability suites need PostgreSQL: run `eval "$(bash scripts/postgres.sh start)"` ' +
        'or set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
    );
  }
  return process.env[name]!;
}

export type PostgresTestDatabase = {
  name: string;
  /** A connection string naming this database (knex, `backend.database.connection`). */
  connectionString: string;
  /** A knex on the new database (closed by `drop`). */
  knex: Knex;
  /** New connections are refused and open ones are terminated. */
  stop(): Promise<void>;
  /** Accepts connections again. */
  start(): Promise<void>;
  drop(): Promise<void>;
};

export async function createPostgresTestDatabase(): Promise<PostgresTestDatabase> {
  const connectionString = postgresConnectionString();
  const admin = knexFactory({ client: 'pg', connection: connectionString });
  const name = `esb_reliability_${randomBytes(6).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ??`, [name]);
  const url = new URL(connectionString);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  return {
    name,
    connectionString: url.toString(),
    knex,
    async stop() {
      await admin.raw(`ALTER DATABASE ?? ALLOW_CONNECTIONS false`, [name]);
      await admin.raw(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()`,
        [name],
      );
    },
    async start() {
      await admin.raw(`ALTER DATABASE ?? ALLOW_CONNECTIONS true`, [name]);
    },
    async drop() {
      await knex.destroy();
      await admin.raw(`ALTER DATABASE ?? ALLOW_CONNECTIONS true`, [name]);
      await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [name]);
      await admin.destroy();
    },
  };
}
