import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { readExternalSecretsConfig } from '../config/readExternalSecretsConfig';
import { ClusterInventory } from '../reconciler/ClusterInventory';
import { LocalFileUrlReader } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { bindingFromEntity } from './entityBinding';
import { ManifestReader } from './ManifestReader';
import { ManifestSource, readDocuments } from './ManifestSource';
import { namespaceMatches } from './manifestRules';

type ReadUrlResponse = Awaited<ReturnType<UrlReaderService['readUrl']>>;

const LOCATION =
  'url:https://git.example.com/team-a/orders/blob/main/catalog-info.yaml';

function entity(owner: string, namespace = 'default'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      namespace,
      annotations: {
        'external-secrets.io/manifests': './es.yaml',
        'backstage.io/managed-by-location': LOCATION,
      },
    },
    spec: { type: 'service', owner, lifecycle: 'production' },
  };
}

function inventory(name = 'prod'): ClusterInventory {
  return {
    config: { name, mode: 'reconcile' },
  } as unknown as ClusterInventory;
}

function es(namespace: string, store = 'shared', kind = 'ClusterSecretStore') {
  return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: { name: db, namespace: ${namespace} }
spec:
  secretStoreRef: { kind: ${kind}, name: ${store} }
  target: { name: db }
  data: [{ secretKey: password, remoteRef: { key: DB } }]
`;
}

function source(text: string, manifests: JsonObject) {
  const urlReader = mockServices.urlReader.mock();
  urlReader.readUrl.mockResolvedValue({
    buffer: async () => Buffer.from(text),
  } as ReadUrlResponse);
  const config = readExternalSecretsConfig(
    new ConfigReader({ externalSecrets: { manifests } }),
  );
  return {
    urlReader,
    source: new ManifestSource({
      manifests: config.manifests,
      reader: new ManifestReader(urlReader),
      logger: mockServices.logger.mock(),
    }),
  };
}

async function items(
  text: string,
  manifests: JsonObject,
  e = entity('team-a'),
) {
  const { source: s } = source(text, manifests);
  return s.items(e, bindingFromEntity(e)!, [inventory()]);
}

const TEAM_A = {
  clusters: [
    {
      name: 'prod',
      allow: [{ owners: ['group:default/team-a'], namespaces: ['team-a-*'] }],
    },
  ],
};

describe('ManifestSource', () => {
  it('should turn an allowed manifest into a WorkItem in its namespace, with the spec hash', async () => {
    const [item] = await items(es('team-a-prod'), TEAM_A);
    expect(item).toMatchObject({
      entityRef: 'component:default/orders',
      claimants: ['component:default/orders'],
      origin: 'manifest',
      namespace: 'team-a-prod',
      name: 'db',
      location: './es.yaml',
      raw: {
        metadata: {
          annotations: {
            'external-secrets.backstage.io/manifest-hash':
              expect.stringMatching(/^[0-9a-f]{16}$/),
          },
        },
      },
    });
    expect(item.error).toBeUndefined();
  });

  it('should match owners written short, as the catalog resolves spec.owner', async () => {
    const [short] = await items(es('team-a-prod'), TEAM_A, entity('team-a'));
    const [other] = await items(
      es('team-a-prod'),
      TEAM_A,
      entity('team-a', 'elsewhere'),
    );
    expect(short.error).toBeUndefined();
    // group:elsewhere/team-a is another group.
    expect(other.error).toContain('no rule lists this owner');
  });

  it('should read nothing and report each location on a cluster that does not enable manifests', async () => {
    const { source: s, urlReader } = source(es('team-a-prod'), {});
    const e = entity('team-a');
    const result = await s.items(e, bindingFromEntity(e)!, [inventory()]);
    expect(urlReader.readUrl).not.toHaveBeenCalled();
    expect(result).toEqual([
      expect.objectContaining({
        name: './es.yaml',
        error: expect.stringContaining(
          'entity-declared manifests are off on cluster prod',
        ),
      }),
    ]);
  });

  it('should name a refused manifest after its location, so it cannot displace a real ExternalSecret record', async () => {
    const [item] = await items(es('team-b'), TEAM_A);
    expect(item).toMatchObject({
      name: './es.yaml#0',
      namespace: 'team-b',
      raw: undefined,
      error: expect.stringContaining(
        'manifest ./es.yaml#0 (ExternalSecret team-b/db) refused: namespace "team-b" is not allowed',
      ),
    });
  });

  it('should check every store, including a per-entry sourceRef', async () => {
    const rules = {
      clusters: [
        {
          name: 'prod',
          allow: [{ namespaces: ['ns'], stores: ['shared'] }],
        },
      ],
    };
    const withSourceRef = `${es('ns')}    - secretKey: other
      remoteRef: { key: X }
      sourceRef: { storeRef: { kind: ClusterSecretStore, name: admin } }
`.replace(
      'data: [{ secretKey: password, remoteRef: { key: DB } }]',
      'data:\n    - secretKey: password\n      remoteRef: { key: DB }',
    );
    const [item] = await items(withSourceRef, rules);
    expect(item.error).toContain(
      'store ClusterSecretStore/admin is not allowed by externalSecrets.manifests.clusters[0].allow[0] (stores: shared)',
    );
  });

  it('should keep a non-string metadata.namespace from reaching a rule', async () => {
    const [item] = await items(
      es('team-a-prod').replace(
        'namespace: team-a-prod',
        'namespace: [team-a-prod]',
      ),
      TEAM_A,
    );
    expect(item.error).toContain('metadata.namespace must be a string');
  });

  it('should skip documents that are not ExternalSecrets', async () => {
    const result = await items(
      `kind: ConfigMap\nmetadata: { name: x }\n---\n${es('team-a-x')}`,
      TEAM_A,
    );
    expect(result.map(i => i.name)).toEqual(['db']);
  });

  it('should admit the demo entity with the demo app-config (the demo works out of the box)', async () => {
    const root = resolve(__dirname, '../../../..');
    const appConfig = parseYaml(
      readFileSync(resolve(root, 'app-config.yaml'), 'utf8'),
    );
    const demoEntity = parseAllDocuments(
      readFileSync(resolve(root, 'examples/entities.yaml'), 'utf8'),
    )
      .map(d => d.toJS() as Entity)
      .find(e => e?.metadata?.name === 'orders-service')!;
    demoEntity.metadata.namespace = 'default';
    demoEntity.metadata.annotations = {
      ...demoEntity.metadata.annotations,
      'backstage.io/managed-by-location': `file:${resolve(
        root,
        'examples/entities.yaml',
      )}`,
    };
    const config = readExternalSecretsConfig(
      new ConfigReader({ externalSecrets: appConfig.externalSecrets }),
    );
    const demo = new ManifestSource({
      manifests: config.manifests,
      reader: new ManifestReader(
        new LocalFileUrlReader([resolve(root, 'examples')]),
      ),
      logger: mockServices.logger.mock(),
    });
    const result = await demo.items(
      demoEntity,
      bindingFromEntity(demoEntity)!,
      [inventory('simulated-demo')],
    );
    expect(result).toEqual([
      expect.objectContaining({ namespace: 'my-namespace', name: 'my-secret' }),
    ]);
    expect(result[0].error).toBeUndefined();
  });
});

describe('namespaceMatches', () => {
  it.each([
    ['team-a', 'team-a', true],
    ['team-a', 'team-ab', false],
    ['team-a-*', 'team-a-prod', true],
    ['team-a-*', 'team-b-prod', false],
    ['{name}', 'orders', true],
    ['{name}-*', 'orders-dev', true],
    ['{name}', 'orders-dev', false],
    ['a.b', 'axb', false],
  ])('%s against %s: %s', (pattern, namespace, expected) => {
    expect(namespaceMatches(pattern, namespace, 'orders')).toBe(expected);
  });
});

describe('readDocuments', () => {
  it('should report a YAML error by code and position, without the line', () => {
    const [[, error]] = readDocuments(
      'a: 1\nb: "secret-canary\n',
      'es.yaml',
    ) as [number, Error][];
    expect(error.message).toMatch(
      /^manifest es\.yaml document 0: YAML [A-Z_]+ at line \d+, column \d+/,
    );
    expect(error.message).not.toContain('secret-canary');
  });
});
