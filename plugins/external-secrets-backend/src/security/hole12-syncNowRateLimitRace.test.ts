import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseStatusStore } from '../database/DatabaseStatusStore';
import { ExternalSecretRecord } from '../database/StatusStore';
import { ClusterRegistry } from '../reconciler/ClusterRegistry';
import { DatabaseSyncRequester } from '../reconciler/DatabaseSyncRequester';

jest.setTimeout(60_000);

const ENTITY = 'component:default/checkout';
const REQUESTS_PER_REPLICA = 6;

const declared: ExternalSecretRecord = {
  entityRef: ENTITY,
  cluster: 'test',
  namespace: 'team-a',
  name: 'checkout',
  origin: 'manifest',
  mode: 'reconcile',
  targetSecret: 'checkout',
  state: 'Synced',
  consecutiveFailures: 0,
  keys: [],
};

/** Two replicas' knex clients on ONE database: a SQLite file, or each PostgreSQL. */
type TwoClients = { a: Knex; b: Knex; close(): Promise<void> };

function sqliteFile(): TwoClients {
  const dir = mkdtempSync(join(tmpdir(), 'hole12-'));
  const open = () =>
    knexFactory({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'backstage.sqlite') },
      useNullAsDefault: true,
    });
  const a = open();
  const b = open();
  return {
    a,
    b,
    async close() {
      await a.destroy();
      await b.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const databases = createTestDatabases();
const postgresIds = databases
  .eachSupportedId()
  .map(([id]) => id)
  .filter(id => id.startsWith('POSTGRES'));

async function postgres(id: string): Promise<TwoClients> {
  const a = await databases.init(id as TestDatabaseId);
  // A second pool on the same database: what a second replica has.
  const b = knexFactory({ ...a.client.config });
  return { a, b, close: () => b.destroy() };
}

function replica(knex: Knex) {
  return DatabaseStatusStore.create({
    database: mockServices.database({ knex }),
  }).then(
    statusStore =>
      new DatabaseSyncRequester({
        statusStore,
        clusters: new ClusterRegistry(),
        scheduler: mockServices.scheduler.mock(),
        logger: mockServices.logger.mock(),
        maxPerEntityPerMinute: 1,
      }),
  );
}

describe.each([
  ['a SQLite file', async () => sqliteFile()],
  ...postgresIds.map(
    id => [id, () => postgres(id)] as [string, () => Promise<TwoClients>],
  ),
])(
  'hole 12: the sync-now rate limit holds across two replicas on %s',
  (_name, connect) => {
    let clients: TwoClients;

    beforeEach(async () => {
      clients = await connect();
    });
    afterEach(() => clients.close());

    it('should accept exactly one of concurrent sync-now requests from two replicas', async () => {
      const first = await replica(clients.a);
      await (
        await DatabaseStatusStore.create({
          database: mockServices.database({ knex: clients.a }),
        })
      ).saveExternalSecret(declared);
      const second = await replica(clients.b);

      const results = await Promise.allSettled(
        Array.from({ length: REQUESTS_PER_REPLICA }).flatMap(() =>
          [first, second].map(requester =>
            requester.requestSync({
              entityRef: ENTITY,
              requester: 'user:default/racer',
              target: {},
            }),
          ),
        ),
      );

      const accepted = results.filter(r => r.status === 'fulfilled');
      const refused = results.flatMap(r =>
        r.status === 'rejected' ? [r.reason as Error] : [],
      );
      expect(accepted).toHaveLength(1);
      expect(refused.map(e => e.name)).toEqual(
        Array(2 * REQUESTS_PER_REPLICA - 1).fill('SyncRateLimitedError'),
      );
      expect(refused[0].message).toContain(
        `sync-now for ${ENTITY} is limited to 1 requests per minute`,
      );
    });
  },
);
