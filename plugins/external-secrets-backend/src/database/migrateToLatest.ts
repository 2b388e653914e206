import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * The PostgreSQL advisory lock the plugin's replicas take around their
 * migrations: a fixed key of this plugin (advisory locks are per database; in
 * Backstage's `schema` division mode plugins share one, so the key must not be
 * a generic one). "ESB" "MIGR" in ASCII.
 */
export const MIGRATIONS_LOCK_KEY = [0x455342, 0x4d494752] as const;

/**
 * `knex.migrate.latest`, serialised across replicas on PostgreSQL.
 *
 * knex is not safe for replicas starting together on an empty database: it
 * checks for its `knex_migrations` tables and then creates them, and inserts
 * the lock row after seeing none, with no lock (`ensureTable` in knex's
 * migrate/table-creator.js; knex/knex#3457). Replicas of a fresh rollout
 * failed to start with `duplicate key value violates unique constraint
 * "pg_class_relname_nsp_index"` or `relation "knex_migrations" already
 * exists`, and worse, two lock rows left every later start failing with
 * "Migration table is already locked".
 * Retrying cannot undo a second lock row, so instead one transaction takes a
 * transaction-scoped advisory lock and runs the whole migration on its
 * connection: the next replica waits for it (the lock goes with the
 * transaction, also when a replica dies), then finds nothing left to do.
 * The plugin's migrations all run in transactions, so running them inside
 * this one changes nothing for them (a future `config.transaction = false`
 * migration, e.g. CREATE INDEX CONCURRENTLY, would need another way).
 *
 * `alsoUnderLock` runs after them, still holding the lock, on another
 * connection of the pool (skipped when the pool has only one: it would wait
 * for the connection the lock holds).
 *
 * SQLite (one process per database file) migrates as before.
 */
export async function migrateToLatest(options: {
  knex: Knex;
  directory: string;
  logger?: LoggerService;
  alsoUnderLock?: () => Promise<void>;
}): Promise<void> {
  const { knex, directory, logger, alsoUnderLock } = options;
  if (knex.client.dialect !== 'postgresql') {
    await knex.migrate.latest({ directory });
    return;
  }
  await knex.transaction(async trx => {
    const [{ locked }] = (
      await trx.raw('select pg_try_advisory_xact_lock(?, ?) as locked', [
        ...MIGRATIONS_LOCK_KEY,
      ])
    ).rows;
    if (!locked) {
      logger?.info(
        'Database migrations: another replica is migrating this database; waiting for it to finish',
      );
      await trx.raw('select pg_advisory_xact_lock(?, ?)', [
        ...MIGRATIONS_LOCK_KEY,
      ]);
    }
    await trx.migrate.latest({ directory });
    if (alsoUnderLock && (knex.client.config.pool?.max ?? 2) >= 2) {
      await alsoUnderLock();
    }
  });
}
