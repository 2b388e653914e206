import { mockServices, ServiceMock } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SecretsProvider } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ProviderRegistry } from '../reconciler/ProviderRegistry';
import { resolveStore } from '../reconciler/StoreResolver';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

/**
 * Hole 2 of issue #16: a catalog entity's manifest chose the namespace its
 * Secret is written into. Entity-declared manifests are now off unless the
 * cluster enables them, then limited by allow rules per owner, and a
 * ClusterSecretStore's spec.conditions apply to them as ESO applies them to CRs.
 */

const CANARY = 'canary-hole02-team-a-db-password';
const API = '/api/external-secrets';
const SOURCE = 'https://git.example.com/team-b/intruder/tree/main/';

/** Owned by team-b; declares an ExternalSecret in whatever namespace its manifest says. */
function intruder(): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'intruder',
      namespace: 'default',
      annotations: {
        'external-secrets.io/manifests': './es.yaml',
        'backstage.io/source-location': `url:${SOURCE}`,
      },
    },
    spec: { type: 'service', owner: 'team-b', lifecycle: 'production' },
  };
}

function manifest(namespace: string) {
  return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: stolen
  namespace: ${namespace}
spec:
  secretStoreRef: { kind: ClusterSecretStore, name: shared }
  target: { name: stolen }
  data:
    - secretKey: password
      remoteRef: { key: TEAM_A_DB_PASSWORD }
`;
}

function readerServing(text: string): ServiceMock<UrlReaderService> {
  return mockServices.urlReader.mock({
    readUrl: async (url: string) => {
      if (url !== `${SOURCE}es.yaml`) throw new Error(`unexpected ${url}`);
      return {
        buffer: async () => Buffer.from(text),
      } as Awaited<ReturnType<UrlReaderService['readUrl']>>;
    },
  });
}

/** Each team may declare manifests into its own namespace only. */
const TEAM_RULES: JsonObject = {
  manifests: {
    clusters: [
      {
        name: 'test',
        allow: [
          { owners: ['group:default/team-a'], namespaces: ['team-a'] },
          { owners: ['group:default/team-b'], namespaces: ['team-b'] },
        ],
      },
    ],
  },
};

function seed(sim: KubernetesSimulator, conditions?: unknown[]) {
  sim.reset();
  for (const name of ['team-a', 'team-b']) {
    sim.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  sim.seed({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'shared' },
    spec: {
      ...(conditions && { conditions }),
      provider: {
        fake: { data: [{ key: 'TEAM_A_DB_PASSWORD', value: CANARY }] },
      },
    },
  });
  sim.clearRequests();
}

/**
 * A store of our class is ours: its own status and its Events (cluster-scoped:
 * in `default`) are the controller's housekeeping (issue #17 items 17, 18),
 * not a write on behalf of an ExternalSecret or an entity.
 */
function isStoreHousekeeping(r: { resource?: string; namespace?: string }) {
  return (
    r.resource === 'clustersecretstores/status' ||
    r.resource === 'secretstores/status' ||
    (r.resource === 'events' && r.namespace === 'default')
  );
}

function writes(sim: KubernetesSimulator) {
  return sim.requests.filter(
    r =>
      ['create', 'update', 'patch', 'delete'].includes(r.verb ?? '') &&
      !isStoreHousekeeping(r),
  );
}

describe('hole 2: a catalog entity cannot direct writes into any namespace', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function run(text: string, config: JsonObject = {}) {
    const reader = readerServing(text);
    backend = await startReconcilerTestBackend({
      sim,
      entities: [intruder()],
      config,
      extraFeatures: [reader.factory],
    });
    await backend.runCycle();
    const res = await request(backend.server).get(
      `${API}/entities/component/default/intruder/status`,
    );
    expect(res.status).toBe(200);
    return {
      reader,
      records: res.body.externalSecrets as any[],
      body: JSON.stringify(res.body),
    };
  }

  it("should write nothing into team-a for team-b's manifest, and name the rule on the card", async () => {
    seed(sim);
    const { records, body } = await run(manifest('team-a'), TEAM_RULES);

    expect(writes(sim)).toEqual([]);
    expect(
      sim.get({ kind: 'Secret', namespace: 'team-a', name: 'stolen' }),
    ).toBeUndefined();
    expect(records).toEqual([
      expect.objectContaining({
        state: 'Error',
        message: expect.stringContaining(
          'namespace "team-a" is not allowed for component:default/intruder (owner group:default/team-b) by externalSecrets.manifests.clusters[0].allow',
        ),
      }),
    ]);
    expect(body).not.toContain(CANARY);
  });

  it('should write nothing at all, nor read the manifest, while the cluster has manifests off (the default)', async () => {
    seed(sim);
    const { reader, records } = await run(manifest('team-b'));

    expect(writes(sim)).toEqual([]);
    expect(reader.readUrl).not.toHaveBeenCalled();
    expect(records).toEqual([
      expect.objectContaining({
        state: 'Error',
        message: expect.stringContaining(
          'entity-declared manifests are off on cluster test',
        ),
      }),
    ]);
  });

  it('should refuse a store the rule does not list, naming the rule', async () => {
    seed(sim);
    const { records } = await run(manifest('team-b'), {
      manifests: {
        clusters: [
          {
            name: 'test',
            allow: [
              {
                owners: ['group:default/team-b'],
                namespaces: ['team-b'],
                stores: ['ClusterSecretStore/team-b-store'],
              },
            ],
          },
        ],
      },
    });

    expect(writes(sim)).toEqual([]);
    expect(records[0]).toMatchObject({
      state: 'Error',
      message: expect.stringContaining(
        'ClusterSecretStore/shared is not allowed by externalSecrets.manifests.clusters[0].allow[0]',
      ),
    });
  });

  // ESO pkg/controllers/secretstore/client_manager.go, Manager.Get → shouldProcessSecret.
  it('should refuse a manifest in team-b using a ClusterSecretStore whose spec.conditions admit only team-a (ESO client_manager.go shouldProcessSecret)', async () => {
    seed(sim, [{ namespaces: ['team-a'] }]);
    const { records } = await run(manifest('team-b'), TEAM_RULES);

    expect(writes(sim)).toEqual([]);
    expect(records[0]).toMatchObject({
      state: 'Error',
      message: expect.stringContaining(
        'ClusterSecretStore shared does not admit namespace "team-b" (spec.conditions)',
      ),
    });
  });

  it('should apply the manifest into the namespace the rule allows (the rules do not stop legitimate use)', async () => {
    seed(sim);
    const { records } = await run(manifest('team-b'), TEAM_RULES);

    expect(records[0]).toMatchObject({ state: 'Synced', namespace: 'team-b' });
    expect(
      sim.get({ kind: 'Secret', namespace: 'team-b', name: 'stolen' }),
    ).toBeDefined();
  });

  it('should substitute {name} in a namespace pattern with the entity name', async () => {
    seed(sim);
    sim.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'app-intruder-dev' },
    });
    const rules = (namespaces: string[]) => ({
      manifests: {
        clusters: [{ name: 'test', allow: [{ namespaces }] }],
      },
    });
    const allowed = await run(
      manifest('app-intruder-dev'),
      rules(['app-{name}-*']),
    );
    expect(allowed.records[0]).toMatchObject({ state: 'Synced' });
    await backend?.stop();
    backend = undefined;

    seed(sim);
    const refused = await run(manifest('team-a'), rules(['app-{name}-*']));
    expect(writes(sim)).toEqual([]);
    expect(refused.records[0]).toMatchObject({ state: 'Error' });
  });
});

/**
 * The same conditions gate CRs and manifests (both resolve through
 * resolveStore). Each case is ESO's Manager.shouldProcessSecret in
 * pkg/controllers/secretstore/client_manager.go, with
 * metav1.LabelSelectorAsSelector for the selectors.
 */
describe('hole 2: ClusterSecretStore spec.conditions as ESO client_manager.go shouldProcessSecret enforces them', () => {
  const providers = new ProviderRegistry();
  providers.add({ name: 'fake' } as unknown as SecretsProvider);

  function decide(
    conditions: unknown[],
    namespace: string,
    namespaces: Record<string, Record<string, string>>,
  ) {
    const store = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'shared' },
      spec: { conditions, provider: { fake: { data: [] } } },
    } as unknown as SecretStore;
    const result = resolveStore(
      { kind: 'ClusterSecretStore', name: 'shared' },
      namespace,
      {
        cluster: 'test',
        clusterStores: [store],
        configStores: [],
        namespaceLabels: ns => namespaces[ns],
      },
      providers,
    );
    return result.ok ? 'admitted' : result.message;
  }

  const existing = { 'team-a': {}, 'team-b': { team: 'b' } };

  it('should refuse team-b when conditions list only namespaces: [team-a]', () => {
    expect(decide([{ namespaces: ['team-a'] }], 'team-b', existing)).toContain(
      'does not admit namespace "team-b"',
    );
    expect(decide([{ namespaces: ['team-a'] }], 'team-a', existing)).toBe(
      'admitted',
    );
  });

  it('should refuse a namespace that does not exist, even when listed (ESO gets the Namespace first)', () => {
    expect(decide([{ namespaces: ['team-c'] }], 'team-c', existing)).toContain(
      'namespace "team-c" could not be read',
    );
  });

  it('should refuse at an invalid selector even if a later condition admits (ESO returns the LabelSelectorAsSelector error)', () => {
    const conditions = [
      {
        namespaceSelector: {
          matchExpressions: [{ key: 'team', operator: 'In', values: [] }],
        },
      },
      { namespaces: ['team-b'] },
    ];
    expect(decide(conditions, 'team-b', existing)).toContain(
      "has an invalid spec.conditions[0].namespaceSelector (for 'in', 'notin' operators, values set can't be empty",
    );
  });

  it('should refuse at a namespaceRegex that does not compile, after earlier conditions had their turn', () => {
    const conditions = [
      { namespaceRegexes: ['team-(b'] },
      { namespaces: ['team-b'] },
    ];
    expect(decide(conditions, 'team-b', existing)).toContain(
      'has an invalid spec.conditions[0].namespaceRegexes[0]',
    );
    expect(
      decide([{ namespaces: ['team-b'] }, ...conditions], 'team-b', existing),
    ).toBe('admitted');
  });

  it('should match namespaceRegexes unanchored, as Go regexp.MatchString does', () => {
    expect(decide([{ namespaceRegexes: ['eam-'] }], 'team-b', existing)).toBe(
      'admitted',
    );
  });

  it('should treat an empty namespaceSelector as matching every existing namespace (labels.Everything)', () => {
    expect(decide([{ namespaceSelector: {} }], 'team-a', existing)).toBe(
      'admitted',
    );
  });

  it('should match the kubernetes.io/metadata.name label the apiserver sets, with NotIn matching an absent label', () => {
    expect(
      decide(
        [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'team-b' },
              matchExpressions: [
                { key: 'blocked', operator: 'NotIn', values: ['true'] },
              ],
            },
          },
        ],
        'team-b',
        existing,
      ),
    ).toBe('admitted');
  });
});
