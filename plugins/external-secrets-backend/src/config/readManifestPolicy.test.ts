import { JsonObject } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { readManifestsConfig } from './readManifestPolicy';

const read = (manifests: unknown) =>
  readManifestsConfig(new ConfigReader({ manifests } as JsonObject));

describe('readManifestsConfig', () => {
  it('should leave entity-declared manifests off, capped at 256 KiB, by default', () => {
    const config = readManifestsConfig(undefined);
    expect(config.maxBytes).toBe(262144);
    expect(config.policy.clusters.size).toBe(0);
  });

  it('should read rules with normalized owners and their config keys', () => {
    const config = read({
      maxBytes: 1024,
      clusters: [
        {
          name: 'prod',
          allow: [
            { owners: ['Team-A', 'group:platform/ops'], namespaces: ['a'] },
            { namespaces: ['{name}'], stores: ['shared'] },
          ],
        },
      ],
    });
    expect(config.maxBytes).toBe(1024);
    expect(config.policy.clusters.get('prod')).toEqual({
      configKey: 'externalSecrets.manifests.clusters[0]',
      allow: [
        {
          configKey: 'externalSecrets.manifests.clusters[0].allow[0]',
          owners: ['group:default/team-a', 'group:platform/ops'],
          namespaces: ['a'],
        },
        {
          configKey: 'externalSecrets.manifests.clusters[0].allow[1]',
          namespaces: ['{name}'],
          stores: ['shared'],
        },
      ],
    });
  });

  it.each([
    [{ maxBytes: 0 }, 'externalSecrets.manifests.maxBytes'],
    [
      { clusters: [{ name: 'a', allow: [{ namespaces: [] }] }] },
      'externalSecrets.manifests.clusters[0].allow[0].namespaces',
    ],
    [
      {
        clusters: [
          { name: 'a', allow: [{ namespaces: ['x'] }] },
          { name: 'a', allow: [{ namespaces: ['y'] }] },
        ],
      },
      'externalSecrets.manifests.clusters[1].name',
    ],
    [
      {
        clusters: [
          { name: 'a', allow: [{ owners: [':'], namespaces: ['x'] }] },
        ],
      },
      'externalSecrets.manifests.clusters[0].allow[0].owners[0]',
    ],
  ])('should name the key of a bad value: %j', (manifests, key) => {
    expect(() => read(manifests)).toThrow(key);
  });
});
