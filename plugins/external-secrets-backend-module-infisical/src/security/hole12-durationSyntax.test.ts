import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { readInfisicalModuleConfig } from '../config/readInfisicalModuleConfig';

/** The Infisical module reads durations with Backstage's readDurationFromConfig too. */
describe('hole 12: one duration syntax in config (Infisical module)', () => {
  const read = (requestTimeout: unknown) =>
    readInfisicalModuleConfig(
      mockServices.rootConfig({
        data: {
          externalSecrets: { providers: { infisical: { requestTimeout } } },
        } as JsonObject,
      }),
    );

  it.each([
    ['a string as the README documents it', '10s'],
    ['milliseconds as a string', '10000ms'],
    ['an ISO 8601 duration', 'PT10S'],
    ['a HumanDuration object', { seconds: 10 }],
  ])('should read %s', (_name, requestTimeout) => {
    expect(read(requestTimeout).requestTimeoutMs).toBe(10_000);
  });

  it('should refuse a bare number, naming the key and how to write it', () => {
    expect(() => read(10000)).toThrow(
      /externalSecrets\.providers\.infisical\.requestTimeout: .*'10000ms'/,
    );
  });
});
