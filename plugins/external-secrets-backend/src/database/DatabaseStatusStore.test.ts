import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { resolve as resolvePath } from 'node:path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseStatusStore } from './DatabaseStatusStore';
import { ExternalSecretRecord, SyncEvent } from './StatusStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const CHECKOUT = 'component:payments/checkout-service';
/** A platform entity whose broad selector also claims checkout's ExternalSecret. */
const PLATFORM = 'component:platform/all-payments';

function event(type: SyncEvent['type']): SyncEvent {
  return {
    entityRef: CHECKOUT,
    cluster: 'demo',
    namespace: 'payments',
    name: 'checkout-secrets',
    type,
    createdAt: new Date('2026-11-23T10:00:00.000Z'),
  };
}

function record(
  overrides: Partial<ExternalSecretRecord> = {},
): ExternalSecretRecord {
  return {
    entityRef: 'component:payments/checkout-service',
    cluster: 'demo',
    namespace: 'payments',
    name: 'checkout-secrets',
    origin: 'cluster',
    mode: 'reconcile',
    storeKind: 'ClusterSecretStore',
    storeName: 'infisical-archon-platform',
    targetSecret: 'checkout-secrets',
    refreshInterval: '1h',
    refreshPolicy: 'Periodic',
    creationPolicy: 'Owner',
    deletionPolicy: 'Retain',
    state: 'Synced',
    reason: 'SecretSynced',
    message: 'secret synced',
    dataHash: 'abc123',
    lastAttemptAt: new Date('2026-11-23T10:00:00.000Z'),
    lastSuccessAt: new Date('2026-11-23T10:00:00.000Z'),
    nextDueAt: new Date('2026-11-23T11:00:00.000Z'),
    consecutiveFailures: 0,
    keys: [
      {
        source: 'data[0]',
        secretKey: 'api-key',
        remoteKey: 'MY_SECRET_NAME',
        storeKind: 'ClusterSecretStore',
        storeName: 'infisical-archon-platform',
        state: 'synced',
        remoteVersion: '3',
      },
      {
        source: 'data[1]',
        secretKey: 'db-password',
        remoteKey: '/db/PASSWORD',
        state: 'error',
        reason: 'KEY_NOT_FOUND',
        message:
          'key /db/PASSWORD not found in folder /db (HTTP 404, request id req-1)',
        errorType: 'KEY_NOT_FOUND',
      },
    ],
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseStatusStore (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseStatusStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      store = await DatabaseStatusStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
    });

    afterEach(async () => {
      await knex('es_entity_claims').delete();
      await knex('es_events').delete();
      await knex('es_keys').delete();
      await knex('es_external_secrets').delete();
      await knex('es_stores').delete();
    });

    it('should return what was saved, keys in order, dates intact', async () => {
      await store.saveExternalSecret(record());
      const [saved] = await store.listByEntity(
        'component:payments/checkout-service',
      );
      expect(saved).toEqual(record());
    });

    describe('saveSyncResults (a cycle saves its ExternalSecrets in groups, issue #22)', () => {
      const named = (
        name: string,
        overrides: Partial<ExternalSecretRecord> = {},
      ) => record({ name, targetSecret: name, ...overrides });

      it('should save many ExternalSecrets as saving each one would: rows, keys, claims and events', async () => {
        const rollout = {
          mode: 'restart' as const,
          consumers: [],
        };
        // Saved before: its keys and claimants are replaced, its rollout kept.
        await store.saveExternalSecret(named('es-0'), [CHECKOUT, PLATFORM]);
        await store.saveRollout(named('es-0'), rollout);
        const entries = Array.from({ length: 40 }, (_, i) => ({
          record: named(`es-${i}`, {
            keys: record().keys.slice(0, 1 + (i % 2)),
          }),
          // Every third names its claimants: the first becomes the row's entityRef.
          claimants: i % 3 === 0 ? [PLATFORM, CHECKOUT] : undefined,
          events: [{ ...event('created'), name: `es-${i}` }],
        }));

        await store.saveSyncResults(entries, 50);

        const byName = (list: ExternalSecretRecord[]) =>
          new Map(list.map(r => [r.name, r]));
        const checkout = byName(await store.listByEntity(CHECKOUT));
        const platform = byName(await store.listByEntity(PLATFORM));
        expect(checkout.size).toBe(40);
        expect(platform.size).toBe(14);
        for (const [i, entry] of entries.entries()) {
          const saved = checkout.get(`es-${i}`)!;
          const { rollout: savedRollout, ...rest } = saved;
          expect(rest).toEqual({
            ...entry.record,
            entityRef: entry.claimants ? PLATFORM : CHECKOUT,
          });
          expect(savedRollout).toEqual(i === 0 ? rollout : undefined);
        }
        const events = await store.listEvents(CHECKOUT, 100);
        expect(events.map(e => e.name).sort()).toEqual(
          entries.map(e => e.record.name).sort(),
        );
      });

      it('should write a group in a few statements, not a few per ExternalSecret', async () => {
        const entries = Array.from({ length: 60 }, (_, i) => ({
          record: named(`es-${i}`),
          claimants: i % 2 === 0 ? [CHECKOUT] : undefined,
          events: [{ ...event('created'), name: `es-${i}` }],
        }));
        let statements = 0;
        const count = () => {
          statements++;
        };
        knex.on('query', count);
        try {
          await store.saveSyncResults(entries, 50);
        } finally {
          knex.off('query', count);
        }

        // Before: a transaction of 6 to 8 statements per ExternalSecret and
        // one more per event, about 500 here.
        expect(statements).toBeLessThanOrEqual(20);
        expect(await store.listByEntity(CHECKOUT)).toHaveLength(60);
      });

      it('should keep the last of two saves of one ExternalSecret in a group', async () => {
        await store.saveSyncResults(
          [
            { record: named('es-1', { state: 'Error' }), events: [] },
            { record: named('es-1', { state: 'Synced' }), events: [] },
          ],
          50,
        );

        const saved = await store.listByEntity(CHECKOUT);
        expect(saved.map(r => [r.name, r.state])).toEqual([['es-1', 'Synced']]);
      });

      it('should keep only the newest events per ExternalSecret when a group adds more', async () => {
        for (let i = 0; i < 3; i++) {
          await store.addEvent(
            {
              ...event('synced'),
              createdAt: new Date(Date.UTC(2026, 10, 23, 9, i)),
            },
            3,
          );
        }
        await store.saveSyncResults(
          [
            {
              record: record(),
              events: [
                {
                  ...event('updated'),
                  createdAt: new Date('2026-11-23T10:00:00.000Z'),
                },
                {
                  ...event('error'),
                  createdAt: new Date('2026-11-23T10:01:00.000Z'),
                },
              ],
            },
          ],
          3,
        );

        const events = await store.listEvents(CHECKOUT, 10);
        expect(events.map(e => e.type)).toEqual(['error', 'updated', 'synced']);
      });
    });

    it('should keep the rollout findings across syncs: saveRollout writes them, a sync never clears them (issue #23)', async () => {
      const changedAt = new Date('2026-11-23T14:02:00.000Z');
      await store.saveExternalSecret(record({ dataChangedAt: changedAt }));
      const rollout = {
        mode: 'restart' as const,
        consumers: [
          {
            kind: 'Deployment' as const,
            name: 'web',
            reads: ['env' as const],
            containers: ['app'],
            updates: 'restart' as const,
            verdict: 'restart-needed' as const,
            pods: 3,
            stalePods: 3,
            paused: false,
          },
        ],
      };
      await store.saveRollout(record(), rollout);
      await store.saveExternalSecret(record({ dataChangedAt: changedAt }));
      const [saved] = await store.listByEntity(CHECKOUT);
      expect(saved.dataChangedAt).toEqual(changedAt);
      expect(saved.rollout).toEqual(rollout);
      expect((await store.listAll())[0].rollout).toEqual(rollout);
      await store.saveRollout(record(), undefined);
      expect((await store.listByEntity(CHECKOUT))[0].rollout).toBeUndefined();
    });

    it("should list an entity's ExternalSecrets in order, each with its own keys, and no other entity's", async () => {
      const keyless = record({ namespace: 'a-first', keys: [] });
      const prod = record({
        cluster: 'prod',
        keys: [{ source: 'data[0]', secretKey: 'prod-key', state: 'pending' }],
      });
      await store.saveExternalSecret(prod);
      await store.saveExternalSecret(record());
      await store.saveExternalSecret(keyless);
      await store.saveExternalSecret(
        record({ entityRef: 'component:payments/other', name: 'other' }),
      );

      const listed = await store.listByEntity(
        'component:payments/checkout-service',
      );

      expect(listed).toEqual([keyless, record(), prod]);
    });

    it('should replace the keys of an ExternalSecret on every save', async () => {
      await store.saveExternalSecret(record());
      await store.saveExternalSecret(
        record({
          state: 'Error',
          consecutiveFailures: 2,
          keys: [
            {
              source: 'data[0]',
              secretKey: 'api-key',
              state: 'error',
              message: 'HTTP 503',
            },
          ],
        }),
      );
      const saved = await store.getExternalSecret({
        cluster: 'demo',
        namespace: 'payments',
        name: 'checkout-secrets',
      });
      expect(saved?.state).toBe('Error');
      expect(saved?.consecutiveFailures).toBe(2);
      expect(saved?.keys).toEqual([
        {
          source: 'data[0]',
          secretKey: 'api-key',
          state: 'error',
          message: 'HTTP 503',
        },
      ]);
      expect(await knex('es_keys').select('id')).toHaveLength(1);
    });

    it('should tell ExternalSecrets of the same name in different clusters apart', async () => {
      await store.saveExternalSecret(record());
      await store.saveExternalSecret(
        record({ cluster: 'prod', state: 'Error' }),
      );
      const all = await store.listAll();
      expect(all.map(r => [r.cluster, r.state]).sort()).toEqual([
        ['demo', 'Synced'],
        ['prod', 'Error'],
      ]);
    });

    it('should move lastAttemptAt of exactly the rows named, however many, and the status version with it', async () => {
      const named = Array.from({ length: 1203 }, (_, i) =>
        record({ name: `observed-${i}`, mode: 'observe' }),
      );
      await store.saveSyncResults(
        [...named, record({ name: 'untouched' })].map(r => ({
          record: r,
          events: [],
        })),
        50,
      );
      const before = await store.entityStatusVersion(CHECKOUT);
      const at = new Date('2026-11-23T10:05:00.000Z');

      await store.markAttempted(named, at);

      const all = await store.listAll();
      const moved = all.filter(
        r => r.lastAttemptAt?.getTime() === at.getTime(),
      );
      expect(moved).toHaveLength(1203);
      expect(all.find(r => r.name === 'untouched')?.lastAttemptAt).toEqual(
        new Date('2026-11-23T10:00:00.000Z'),
      );
      expect(await store.entityStatusVersion(CHECKOUT)).not.toBe(before);
    });

    it('should delete an ExternalSecret with its keys, claims and events', async () => {
      await store.saveExternalSecret(record(), [CHECKOUT, PLATFORM]);
      await store.addEvent(event('created'));
      await store.deleteExternalSecrets([
        { cluster: 'demo', namespace: 'payments', name: 'checkout-secrets' },
      ]);
      expect(await store.listAll()).toEqual([]);
      expect(await knex('es_keys').select('id')).toHaveLength(0);
      expect(await store.listClaims()).toEqual([]);
      expect(await knex('es_events').select('id')).toHaveLength(0);

      // A later ExternalSecret of that name starts with no history.
      await store.saveExternalSecret(record({ entityRef: PLATFORM }));
      expect(await store.listEvents(PLATFORM, 10)).toEqual([]);
    });

    describe('claims', () => {
      it('should let the one entity of a row written before claims existed claim it', async () => {
        const old = await databases.init(databaseId as TestDatabaseId);
        const directory = resolvePath(__dirname, '../../migrations');
        for (const name of [
          '20261123000000_init.js',
          '20261124000000_provider_changes.js',
        ]) {
          await old.migrate.up({ directory, name });
        }
        const { keys: _keys, ...row } = record();
        await old('es_external_secrets').insert({
          entity_ref: row.entityRef,
          cluster: row.cluster,
          namespace: row.namespace,
          name: row.name,
          origin: row.origin,
          mode: row.mode,
          target_secret: row.targetSecret,
          state: row.state,
          consecutive_failures: 0,
          updated_at: new Date().toISOString(),
        });

        const migrated = await DatabaseStatusStore.create({
          database: mockServices.database({
            knex: old,
            migrations: { skip: false },
          }),
        });

        expect(await migrated.listClaims()).toEqual([
          {
            cluster: 'demo',
            namespace: 'payments',
            name: 'checkout-secrets',
            claimants: [CHECKOUT],
          },
        ]);
        expect(
          (await migrated.listByEntity(CHECKOUT)).map(r => r.name),
        ).toEqual(['checkout-secrets']);
      });

      const ID = {
        cluster: 'demo',
        namespace: 'payments',
        name: 'checkout-secrets',
      };

      it('should show an ExternalSecret to every entity that claims it, not only to the first', async () => {
        await store.saveExternalSecret(record({ entityRef: PLATFORM }), [
          PLATFORM,
          CHECKOUT,
        ]);

        expect(await store.listByEntity(CHECKOUT)).toEqual([
          record({ entityRef: PLATFORM }),
        ]);
        expect(await store.listByEntity(PLATFORM)).toEqual([
          record({ entityRef: PLATFORM }),
        ]);
        expect(await store.listByEntity('component:payments/other')).toEqual(
          [],
        );
      });

      it('should replace the claimants and make the first one the row entityRef', async () => {
        await store.saveExternalSecret(record({ entityRef: PLATFORM }), [
          PLATFORM,
          CHECKOUT,
        ]);

        await store.saveClaims(ID, [CHECKOUT]);

        expect(await store.listByEntity(PLATFORM)).toEqual([]);
        expect(await store.listByEntity(CHECKOUT)).toEqual([record()]);
        expect(await store.listClaims()).toEqual([
          { ...ID, claimants: [CHECKOUT] },
        ]);
      });

      it('should keep the claimants when a save does not name them, and let the row entityRef claim it', async () => {
        await store.saveExternalSecret(record(), [CHECKOUT, PLATFORM]);
        await store.saveExternalSecret(record({ state: 'Error' }));
        await store.saveExternalSecret(record({ name: 'unclaimed-yet' }));

        const claims = await store.listClaims();
        expect(
          claims
            .map(c => [c.name, [...c.claimants].sort()])
            .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        ).toEqual([
          ['checkout-secrets', [CHECKOUT, PLATFORM].sort()],
          ['unclaimed-yet', [CHECKOUT]],
        ]);
        expect((await store.listByEntity(PLATFORM)).map(r => r.state)).toEqual([
          'Error',
        ]);
      });

      it("should list the events of an entity's claimed ExternalSecrets, whichever entity they name", async () => {
        await store.saveExternalSecret(record({ entityRef: PLATFORM }), [
          PLATFORM,
          CHECKOUT,
        ]);
        await store.saveExternalSecret(
          record({ entityRef: PLATFORM, name: 'platform-only' }),
        );
        await store.addEvent({ ...event('created'), entityRef: PLATFORM });
        await store.addEvent({
          ...event('synced'),
          entityRef: PLATFORM,
          name: 'platform-only',
        });

        expect(
          (await store.listEvents(CHECKOUT, 10)).map(e => [e.name, e.type]),
        ).toEqual([['checkout-secrets', 'created']]);
        expect(
          (await store.listEvents(PLATFORM, 10)).map(e => [e.name, e.type]),
        ).toEqual([
          ['platform-only', 'synced'],
          ['checkout-secrets', 'created'],
        ]);

        await store.saveClaims(ID, [PLATFORM]);
        expect(await store.listEvents(CHECKOUT, 10)).toEqual([]);
      });
    });

    it('should keep only the newest events per ExternalSecret, newest first', async () => {
      await store.saveExternalSecret(record());
      for (let i = 0; i < 7; i++) {
        await store.addEvent(
          {
            entityRef: 'component:payments/checkout-service',
            cluster: 'demo',
            namespace: 'payments',
            name: 'checkout-secrets',
            type: i % 2 ? 'updated' : 'synced',
            message: `event ${i}`,
            changedKeys: i % 2 ? ['api-key'] : undefined,
            createdAt: new Date(Date.UTC(2026, 10, 23, 10, i)),
          },
          5,
        );
      }
      const events = await store.listEvents(
        'component:payments/checkout-service',
        10,
      );
      expect(events.map(e => e.message)).toEqual([
        'event 6',
        'event 5',
        'event 4',
        'event 3',
        'event 2',
      ]);
      expect(events[1]).toMatchObject({
        type: 'updated',
        changedKeys: ['api-key'],
      });
      expect(events[0].createdAt.toISOString()).toBe(
        '2026-11-23T10:06:00.000Z',
      );
    });

    it('should upsert store validation state', async () => {
      const base = {
        cluster: '',
        kind: 'ClusterSecretStore' as const,
        namespace: '',
        name: 'infisical-archon-platform',
        provider: 'infisical',
        origin: 'config' as const,
      };
      await store.saveStore({
        ...base,
        ready: false,
        reason: 'InvalidProviderConfig',
        message: 'HTTP 401',
      });
      await store.saveStore({
        ...base,
        ready: true,
        reason: 'Valid',
        lastValidatedAt: new Date('2026-11-23T10:00:00.000Z'),
      });
      expect(await store.listStores()).toEqual([
        {
          ...base,
          ready: true,
          reason: 'Valid',
          message: undefined,
          lastValidatedAt: new Date('2026-11-23T10:00:00.000Z'),
        },
      ]);
    });

    it('should queue provider changes in arrival order and drop those a cycle acted on', async () => {
      const change = (path: string, at: string) => ({
        provider: 'infisical',
        scope: { projectId: 'p-1', environment: 'prod', secretPath: path },
        receivedAt: new Date(at),
      });
      await store.addProviderChange(
        change('/a', '2026-11-23T10:00:00.000Z'),
        100,
      );
      await store.addProviderChange(
        change('/b', '2026-11-23T10:00:01.000Z'),
        100,
      );
      const queued = await store.listProviderChanges();
      expect(queued.map(c => c.scope.secretPath)).toEqual(['/a', '/b']);
      expect(queued[1].receivedAt).toEqual(
        new Date('2026-11-23T10:00:01.000Z'),
      );

      await store.addProviderChange(
        change('/c', '2026-11-23T10:00:02.000Z'),
        100,
      );
      await store.deleteProviderChanges(queued[1].id);

      expect(
        (await store.listProviderChanges()).map(c => c.scope.secretPath),
      ).toEqual(['/c']);
    });

    it('should count states and list the longest-failing first', async () => {
      await store.saveExternalSecret(record());
      await store.saveExternalSecret(
        record({ name: 'a', state: 'Error', consecutiveFailures: 1 }),
      );
      await store.saveExternalSecret(
        record({ name: 'b', state: 'Error', consecutiveFailures: 9 }),
      );
      await store.saveExternalSecret(record({ name: 'c', state: 'Pending' }));
      const { counts, failing } = await store.overview(1);
      expect(counts).toEqual({
        Synced: 1,
        Error: 2,
        Pending: 1,
        NotFound: 0,
        Unsupported: 0,
      });
      expect(failing.map(f => f.name)).toEqual(['b']);
    });
  },
);
