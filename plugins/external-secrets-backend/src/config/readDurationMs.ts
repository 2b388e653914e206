import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Reads an optional duration the Backstage way (`readDurationFromConfig`):
 * a string such as `30s`, `5m`, `1h` or `2 days`, an ISO 8601 duration such
 * as `PT5M`, or an object such as `{ minutes: 5 }`. The one syntax for every
 * duration in `externalSecrets.*` (ESO manifests keep Go durations). Errors
 * name the full key `path`; undefined when the key is absent.
 */
export function readOptionalDurationMs(
  config: Config | undefined,
  key: string,
  path: string,
): number | undefined {
  if (!config?.has(key)) return undefined;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `${path}: not a duration (${
        (error as Error).message
      }); write e.g. '30s', '5m', 'PT5M' or { minutes: 5 }`,
    );
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new InputError(`${path}: must be a duration longer than zero`);
  }
  return ms;
}
