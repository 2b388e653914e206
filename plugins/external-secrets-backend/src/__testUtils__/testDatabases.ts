import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const PG_CONNECTION_ENV =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/**
 * SQLite always, plus every PostgreSQL that `scripts/postgres.sh` (or the
 * developer) exposed through Backstage's connection-string variables. Under CI
 * a missing PostgreSQL is an error, so the PostgreSQL runs cannot vanish silently.
 */
export function createTestDatabases(): TestDatabases {
  const postgresIds = Object.keys(process.env)
    .map(name => PG_CONNECTION_ENV.exec(name)?.[1])
    .filter((major): major is string => Boolean(major))
    .map(major => `POSTGRES_${major}` as TestDatabaseId);
  if (process.env.CI && postgresIds.length === 0) {
    throw new Error(
      'No PostgreSQL for the database tests: run `eval "$(bash scripts/postgres.sh start)"` ' +
        '(scripts/test.sh does) or set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
    );
  }
  return TestDatabases.create({
    ids: ['SQLITE_3', ...postgresIds],
    disableDocker: true,
  });
}
