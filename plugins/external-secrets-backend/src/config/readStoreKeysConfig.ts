import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_KEY_NAMES_TTL_MS } from '../service/StoreKeyLister';
import { readOptionalDurationMs } from './readDurationMs';

const KEY = 'externalSecrets.storeKeys';
const DEFAULT_MAX_PER_USER_PER_MINUTE = 30;

export type StoreKeysConfig = {
  /** How long listed key names are reused per store scope. */
  cacheTtlMs: number;
  /** Key listings per user (or service) and store per minute. */
  maxPerUserPerMinute: number;
};

/** Reads `externalSecrets.storeKeys` (the `GET /stores/.../keys` limits). */
export function readStoreKeysConfig(root: Config): StoreKeysConfig {
  const config = root.getOptionalConfig(KEY);
  const max =
    config?.getOptionalNumber('maxPerUserPerMinute') ??
    DEFAULT_MAX_PER_USER_PER_MINUTE;
  if (!Number.isInteger(max) || max < 1) {
    throw new InputError(
      `${KEY}.maxPerUserPerMinute: must be a whole number of at least 1, got ${max}`,
    );
  }
  return {
    cacheTtlMs:
      readOptionalDurationMs(config, 'cacheTtl', `${KEY}.cacheTtl`) ??
      DEFAULT_KEY_NAMES_TTL_MS,
    maxPerUserPerMinute: max,
  };
}
