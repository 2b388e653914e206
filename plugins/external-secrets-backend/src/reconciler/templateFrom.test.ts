import { Entity } from '@backstage/catalog-model';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
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
 * templateFrom configMap / secret (issue #17 item 12), as ESO's
 * pkg/controllers/templating/parser.go MergeConfigMap / MergeSecret read
 * them: from the ExternalSecret's namespace only; a missing object fails
 * ApplyTemplate, so nothing is written and the status is Ready=False.
 */
const NS = 'payments';
const OTHER_NS = 'elsewhere';
const CHECKOUT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};
const STORE = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'fake-store' },
  spec: {
    provider: { fake: { data: [{ key: 'DB_PASSWORD', value: 'pw' }] } },
  },
};
const configMap = (namespace: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'db-template', namespace },
  data,
});
const EXTERNAL_SECRET = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: {
    name: 'db',
    namespace: NS,
    labels: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake-store' },
    target: {
      name: 'db',
      template: {
        templateFrom: [
          {
            configMap: {
              name: 'db-template',
              items: [{ key: 'dsn', templateAs: 'Values' }],
            },
          },
        ],
      },
    },
    data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
  },
};

describe('templateFrom configMap in reconcile mode', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;
  let knex: Knex;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(async () => {
    sim.reset();
    sim.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: OTHER_NS } },
      STORE,
    );
    knex = await databases.init('SQLITE_3');
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const run = async () => {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      knex,
    });
    await backend.runCycle();
  };
  const secret = () =>
    sim.get({ kind: 'Secret', namespace: NS, name: 'db' }) as any;
  const ready = () =>
    (sim.get({ kind: 'ExternalSecret', namespace: NS, name: 'db' }) as any)
      ?.status?.conditions?.[0];

  it('should render the ConfigMap item of the ExternalSecret namespace', async () => {
    sim.seed(
      configMap(NS, { dsn: 'postgres://app:{{ .password }}@db/app' }),
      EXTERNAL_SECRET,
    );
    await run();
    expect(Buffer.from(secret().data.dsn, 'base64').toString()).toBe(
      'postgres://app:pw@db/app',
    );
    expect(ready()).toMatchObject({ status: 'True' });
  });

  it('should write nothing and report Ready=False when the ConfigMap is missing (one in another namespace is never read)', async () => {
    sim.seed(configMap(OTHER_NS, { dsn: '{{ .password }}' }), EXTERNAL_SECRET);
    await run();
    expect(secret()).toBeUndefined();
    expect(ready()).toMatchObject({ status: 'False' });
    expect(ready().message).toContain(`ConfigMap ${NS}/db-template not found`);
  });

  it('should keep an existing Secret untouched when the ConfigMap disappears', async () => {
    sim.seed(configMap(NS, { dsn: 'v1 {{ .password }}' }), EXTERNAL_SECRET);
    await run();
    const before = secret();
    await backend!.stop();
    sim.remove({ kind: 'ConfigMap', namespace: NS, name: 'db-template' });
    const es = sim.get({
      kind: 'ExternalSecret',
      namespace: NS,
      name: 'db',
    }) as any;
    // A spec change makes it due at once.
    sim.seed({
      ...es,
      metadata: { ...es.metadata, annotations: { 'force-sync': '1' } },
    });
    await run();
    expect(secret().data).toEqual(before.data);
    expect(ready()).toMatchObject({ status: 'False' });
  });
});
