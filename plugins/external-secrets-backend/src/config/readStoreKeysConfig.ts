import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_KEY_NAMES_TTL_MS } from '../service/keyNameCache';
import { DEFAULT_MAX_KEY_NAMES } from '../service/StoreKeyLister';
import { readOptionalDurationMs } from './readDurationMs';

const KEY = 'externalSecrets.storeKeys';
const DEFAULT_MAX_PER_USER_PER_MINUTE = 30;

export type StoreKeysConfig = {
  /** How long listed key names are reused per store scope. */
  cacheTtlMs: number;
  /** Key listings per user (or service) and store per minute. */
  maxPerUserPerMinute: number;
  /** Names one listing carries at most; beyond it the listing is incomplete. */
  maxKeys: number;
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
  const maxKeys = config?.getOptionalNumber('maxKeys') ?? DEFAULT_MAX_KEY_NAMES;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new InputError(
      `${KEY}.maxKeys: must be a whole number of at least 1, got ${maxKeys}`,
    );
  }
  return {
    maxKeys,
    cacheTtlMs:
      readOptionalDurationMs(config, 'cacheTtl', `${KEY}.cacheTtl`) ??
      DEFAULT_KEY_NAMES_TTL_MS,
    maxPerUserPerMinute: max,
  };
}
