import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseStatusStore } from './DatabaseStatusStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const change = (secretPath: string, at = '2026-12-06T10:00:00.000Z') => ({
  provider: 'infisical',
  scope: { projectId: 'p-1', environment: 'prod', secretPath },
  receivedAt: new Date(at),
});

describe.each(databases.eachSupportedId())(
  'DatabaseStatusStore webhook queue and replay memory (%s)',
  databaseId => {
    let store: DatabaseStatusStore;

    beforeEach(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      store = await DatabaseStatusStore.create({
        database: mockServices.database({ knex }),
      });
    });

    const paths = async () =>
      (await store.listProviderChanges()).map(c => c.scope.secretPath);

    it('should keep one pending change per scope, the newest, after the older ones', async () => {
      await store.addProviderChange(change('/a'), 10);
      await store.addProviderChange(change('/b'), 10);
      const [a] = await store.listProviderChanges();

      await expect(
        store.addProviderChange(change('/a', '2026-12-06T10:00:05.000Z'), 10),
      ).resolves.toBe('coalesced');

      const queued = await store.listProviderChanges();
      expect(queued.map(c => c.scope.secretPath)).toEqual(['/b', '/a']);
      // A cycle that listed the old row deletes up to its id: the new one stays.
      expect(queued[1].id).toBeGreaterThan(a.id);
      expect(queued[1].receivedAt).toEqual(
        new Date('2026-12-06T10:00:05.000Z'),
      );
    });

    it('should merge the queue into one change of every scope at the cap, and fold later ones into it', async () => {
      for (const p of ['/1', '/2', '/3']) {
        await expect(store.addProviderChange(change(p), 3)).resolves.toBe(
          'queued',
        );
      }

      await expect(store.addProviderChange(change('/4'), 3)).resolves.toBe(
        'merged',
      );
      await expect(store.addProviderChange(change('/5'), 3)).resolves.toBe(
        'coalesced',
      );

      const queued = await store.listProviderChanges();
      expect(queued).toHaveLength(1);
      expect(queued[0].scope).toEqual({});
      expect(await paths()).toEqual([undefined]);
    });

    it('should remember a delivery once, until it expires', async () => {
      const now = new Date('2026-12-06T10:00:00.000Z');
      const expires = new Date('2026-12-06T10:10:00.000Z');

      await expect(
        store.rememberWebhookDelivery('infisical:ab', expires, now),
      ).resolves.toBe(true);
      await expect(
        store.rememberWebhookDelivery('infisical:ab', expires, now),
      ).resolves.toBe(false);
      await expect(
        store.rememberWebhookDelivery('infisical:cd', expires, now),
      ).resolves.toBe(true);

      const later = new Date('2026-12-06T10:10:00.001Z');
      await expect(
        store.rememberWebhookDelivery(
          'infisical:ab',
          new Date('2026-12-06T10:20:00.000Z'),
          later,
        ),
      ).resolves.toBe(true);
    });

    it('should accept exactly one of many concurrent identical deliveries', async () => {
      const now = new Date('2026-12-06T10:00:00.000Z');
      const expires = new Date('2026-12-06T10:10:00.000Z');

      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.rememberWebhookDelivery('infisical:race', expires, now),
        ),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
    });
  },
);
