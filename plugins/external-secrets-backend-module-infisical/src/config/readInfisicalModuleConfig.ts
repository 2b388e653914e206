import type { RootConfigService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
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
  const requestTimeoutMs = readRequestTimeoutMs(section);
  if (requestTimeoutMs !== undefined) {
    options.requestTimeoutMs = requestTimeoutMs;
  }
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

/**
 * `requestTimeout` the Backstage way (readDurationFromConfig, as every
 * duration in `externalSecrets.*`): '10s', '500ms', 'PT10S' or { seconds: 10 }.
 * A bare number is refused with the string to write instead.
 */
function readRequestTimeoutMs(section: Config): number | undefined {
  const raw = section.getOptional('requestTimeout');
  if (raw === undefined) return undefined;
  const key = `${CONFIG_KEY}.requestTimeout`;
  if (typeof raw === 'number') {
    throw new Error(
      `${key}: a bare number is not a duration; write '${raw}ms' or e.g. '10s'`,
    );
  }
  let ms: number;
  try {
    ms = durationToMilliseconds(
      readDurationFromConfig(section, { key: 'requestTimeout' }),
    );
  } catch (error) {
    throw new Error(
      `${key}: not a duration (${
        (error as Error).message
      }); write e.g. '10s', '500ms', 'PT10S' or { seconds: 10 }`,
    );
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(`${key}: must be a duration longer than zero`);
  }
  return ms;
}
