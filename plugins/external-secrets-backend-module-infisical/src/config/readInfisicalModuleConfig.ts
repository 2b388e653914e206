import type { RootConfigService } from '@backstage/backend-plugin-api';
import type { InfisicalProviderOptions } from '../provider/InfisicalProvider';

const CONFIG_KEY = 'externalSecrets.providers.infisical';

/**
 * Reads `externalSecrets.providers.infisical` (see config.d.ts) into provider
 * options. Invalid values fail the startup with the key named.
 */
export function readInfisicalModuleConfig(
  config: RootConfigService,
): Pick<InfisicalProviderOptions, 'requestTimeoutMs' | 'retry'> {
  const section = config.getOptionalConfig(CONFIG_KEY);
  if (!section) return {};
  const options: Pick<InfisicalProviderOptions, 'requestTimeoutMs' | 'retry'> =
    {};
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
