import { mockServices } from '@backstage/backend-test-utils';
import { readInfisicalModuleConfig } from './readInfisicalModuleConfig';

const configWith = (infisical: object) =>
  mockServices.rootConfig({
    data: { externalSecrets: { providers: { infisical } } },
  });

describe('readInfisicalModuleConfig', () => {
  it('should return no options when the section is absent', () => {
    expect(
      readInfisicalModuleConfig(mockServices.rootConfig({ data: {} })),
    ).toEqual({});
  });

  it.each([
    ['2500ms', 2500],
    ['10s', 10_000],
    ['500ms', 500],
    ['1m', 60_000],
  ])('should read requestTimeout %j as %d ms', (requestTimeout, expected) => {
    expect(
      readInfisicalModuleConfig(configWith({ requestTimeout }))
        .requestTimeoutMs,
    ).toBe(expected);
  });

  it('should read maxRetries', () => {
    expect(
      readInfisicalModuleConfig(configWith({ maxRetries: 0 })).retry,
    ).toEqual({ maxRetries: 0 });
  });

  it('should read serviceAccountTokenDirs', () => {
    expect(
      readInfisicalModuleConfig(
        configWith({ serviceAccountTokenDirs: ['/var/run/secrets/tokens'] }),
      ).serviceAccountTokenDirs,
    ).toEqual(['/var/run/secrets/tokens']);
  });

  it.each([
    [{ requestTimeout: 'soon' }, /requestTimeout: not a duration/],
    [
      { serviceAccountTokenDirs: ['tokens'] },
      /serviceAccountTokenDirs\[0\] must be an absolute directory/,
    ],
    [
      { serviceAccountTokenDirs: ['/'] },
      /serviceAccountTokenDirs\[0\] must be an absolute directory other than "\/"/,
    ],
    [
      { serviceAccountTokenDirs: ['/var/run/../etc'] },
      /serviceAccountTokenDirs\[0\]/,
    ],
    [{ requestTimeout: -1 }, /requestTimeout: a bare number is not a duration/],
    [{ requestTimeout: '0s' }, /requestTimeout: must be a duration longer/],
    [{ maxRetries: 1.5 }, /maxRetries must be a non-negative integer/],
  ])('should reject %j with the key named', (section, message) => {
    expect(() => readInfisicalModuleConfig(configWith(section))).toThrow(
      message,
    );
  });
});
