import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readPropagationConfig } from '../config/readPropagationConfig';

/**
 * One duration syntax across `externalSecrets.*`: Backstage's
 * readDurationFromConfig (ms-style strings, ISO 8601, HumanDuration objects),
 * as the schedule already uses; the documented strings keep working.
 */
describe('hole 12: one duration syntax in config (propagation)', () => {
  const read = (pollInterval: unknown, maxAge: unknown) =>
    readPropagationConfig(
      new ConfigReader({
        externalSecrets: {
          propagation: {
            stores: [
              {
                kind: 'ClusterSecretStore',
                name: 'infisical',
                webhook: true,
                pollInterval,
              },
            ],
            webhooks: {
              infisical: { signingSecret: 'duration-canary', maxAge },
            },
          },
        },
      } as JsonObject),
    );

  it.each([
    ['strings as the README documents them', '5m', '5m'],
    ['ISO 8601 durations', 'PT5M', 'PT5M'],
    ['HumanDuration objects', { minutes: 5 }, { minutes: 5 }],
    ['ms-style words', '5 minutes', '300 seconds'],
  ])('should read %s the same way', (_name, pollInterval, maxAge) => {
    const config = read(pollInterval, maxAge);

    expect(config.stores[0].pollIntervalMs).toBe(300_000);
    expect(config.webhooks.infisical?.maxAgeMs).toBe(300_000);
  });

  it('should name the key and the accepted forms for a value that is no duration', () => {
    expect(() => read('soon', '5m')).toThrow(
      /externalSecrets\.propagation\.stores\[0\]\.pollInterval: not a duration .*'30s', '5m', 'PT5M' or \{ minutes: 5 \}/,
    );
  });
});
