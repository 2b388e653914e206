import { ConfigReader } from '@backstage/config';
import { readStoreKeysConfig } from './readStoreKeysConfig';

const read = (storeKeys?: object) =>
  readStoreKeysConfig(
    new ConfigReader(storeKeys ? { externalSecrets: { storeKeys } } : {}),
  );

describe('readStoreKeysConfig', () => {
  it('should default to 1000 names per listing, 30 listings per user and store a minute, names reused 60 s', () => {
    expect(read()).toEqual({
      maxKeys: 1000,
      maxPerUserPerMinute: 30,
      cacheTtlMs: 60_000,
    });
  });

  it('should read maxKeys, the cap past which a listing is incomplete', () => {
    expect(read({ maxKeys: 5000 }).maxKeys).toBe(5000);
  });

  it.each([0, -1, 2.5])('should refuse maxKeys %s, naming the key', maxKeys => {
    expect(() => read({ maxKeys })).toThrow(
      `externalSecrets.storeKeys.maxKeys: must be a whole number of at least 1, got ${maxKeys}`,
    );
  });
});
