import type { RootConfigService } from '@backstage/backend-plugin-api';
import { allowedTokenDirs } from '../auth/serviceAccountTokenPolicy';
import type { InfisicalProviderOptions } from '../provider/InfisicalProvider';

const CONFIG_KEY = 'externalSecrets.providers.infisical';

type ModuleOptions = Pick<
  InfisicalProviderOptions,
  'requestTimeoutMs' | 'retry' | 'serviceAccountTokenDirs'
>;

/**
 * Reads `externalSecrets.providers.infisical` (see config.d.ts) into provider
 * options. Invalid values fail the startup with the key named.
 */
export function readInfisicalModuleConfig(
  config: RootConfigService,
): ModuleOptions {
  const section = config.getOptionalConfig(CONFIG_KEY);
  if (!section) return {};
  const options: ModuleOptions = {};
  const timeout = section.getOptional<number | string>('requestTimeout');
  if (timeout !== undefined)
    options.requestTimeoutMs = parseDurationMs(
      timeout,
      `${CONFIG_KEY}.requestTimeout`,
    );
  const maxRetries = section.getOptionalNumber('maxRetries');
  if (maxRetries !== undefined) {
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new Error(
        `${CONFIG_KEY}.maxRetries must be a non-negative integer, got ${maxRetries}`,
      );
    }
    options.retry = { maxRetries };
  }
  const tokenDirs = section.getOptionalStringArray('serviceAccountTokenDirs');
  if (tokenDirs) {
    allowedTokenDirs(tokenDirs); // fails the startup on a bad entry
    options.serviceAccountTokenDirs = tokenDirs;
  }
  return options;
}

/** Milliseconds from a number (ms) or `<n>ms|s|m`. */
export function parseDurationMs(value: number | string, key: string): number {
  if (typeof value === 'number' && value > 0) return value;
  const match =
    typeof value === 'string'
      ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(value)
      : null;
  if (!match || Number(match[1]) <= 0) {
    throw new Error(
      `${key} must be a positive number of milliseconds or a duration like "10s", got ${JSON.stringify(
        value,
      )}`,
    );
  }
  const factor = { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
  return Number(match[1]) * factor;
}
