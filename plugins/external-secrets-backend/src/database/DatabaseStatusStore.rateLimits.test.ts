import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseStatusStore } from './DatabaseStatusStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const T0 = new Date('2026-12-06T10:00:00.000Z').getTime();
const at = (ms: number) => new Date(T0 + ms);

describe.each(databases.eachSupportedId())(
  'DatabaseStatusStore rate budgets (%s)',
  databaseId => {
    let store: DatabaseStatusStore;

    beforeEach(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      store = await DatabaseStatusStore.create({
        database: mockServices.database({ knex }),
      });
    });

    const take = (bucket: string, ms: number) =>
      store.takeRateBudget(bucket, at(ms), 2, 60_000);

    it('should allow max requests per window, then refuse until the window is over', async () => {
      expect(await take('a', 0)).toBe(true);
      expect(await take('a', 1_000)).toBe(true);
      expect(await take('a', 59_999)).toBe(false);

      expect(await take('a', 60_000)).toBe(true);
      expect(await take('a', 60_001)).toBe(true);
      expect(await take('a', 60_002)).toBe(false);
    });

    it('should count each bucket on its own', async () => {
      expect(await take('a', 0)).toBe(true);
      expect(await take('a', 0)).toBe(true);

      expect(await take('a', 0)).toBe(false);
      expect(await take('b', 0)).toBe(true);
    });

    it('should let exactly max of many concurrent requests through', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => take('burst', 0)),
      );

      expect(results.filter(Boolean)).toHaveLength(2);
    });
  },
);
