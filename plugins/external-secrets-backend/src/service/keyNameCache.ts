import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { KeyNameListing } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { createHash } from 'node:crypto';
import { describeStore, StoreAddress } from './KnownStores';

/** How long listed names are reused (externalSecrets.storeKeys.cacheTtl). */
export const DEFAULT_KEY_NAMES_TTL_MS = 60_000;

/**
 * Names from the cache, keyed by the store's address and provider spec: a
 * changed identity, project, environment or path is a new entry. A cache
 * that fails is skipped, never fatal. Only names are cached, never values.
 */
export async function cachedKeyNames(
  options: { cache?: CacheService; cacheTtlMs?: number; logger: LoggerService },
  address: StoreAddress,
  store: SecretStore,
  read: () => Promise<KeyNameListing>,
): Promise<KeyNameListing> {
  const { cache, logger } = options;
  if (!cache) return read();
  const key = `store-key-listing:${createHash('sha256')
    .update(JSON.stringify([address, store.spec.provider]))
    .digest('hex')}`;
  const hit = await cache.get<KeyNameListing>(key).catch(() => undefined);
  if (hit?.keys) return { ...hit, keys: [...hit.keys] };
  const names = await read();
  await cache
    .set(key, names, {
      ttl: options.cacheTtlMs ?? DEFAULT_KEY_NAMES_TTL_MS,
    })
    .catch(e =>
      logger.warn(
        `${describeStore(address)}: could not cache its key names: ${
          (e as Error).message
        }`,
      ),
    );
  return names;
}
