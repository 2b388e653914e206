import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

const NS = 'team-a';
const CANARY = 'canary-bad-input-value-5e1f';
const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'web' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

const demoStore = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'demo' },
  spec: {
    provider: {
      fake: {
        data: [
          { key: 'API_KEY', value: CANARY },
          { key: 'DB_USER', value: 'app' },
        ],
      },
    },
  },
};

function externalSecret(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'web' },
    },
    spec: {
      secretStoreRef: { name: 'demo', kind: 'ClusterSecretStore' },
      target: { name },
      data: [{ secretKey: 'api-key', remoteRef: { key: 'API_KEY' } }],
      ...spec,
    },
  };
}

/** Bad manifests of the kinds the corpus holds, each with the field its error must name. */
const BAD: [string, Record<string, unknown>, string][] = [
  ['bad-duration', { refreshInterval: '1d' }, 'spec.refreshInterval "1d"'],
  ['bad-data', { data: { secretKey: 'api-key' } }, 'spec.data: must be a list'],
  [
    'bad-template',
    {
      target: {
        name: 'bad-template',
        template: { type: 'bootstrap.kubernetes.io/token' },
      },
    },
    'spec.target.template.type',
  ],
  [
    'bad-key-only',
    { data: [{ secretKey: '..', remoteRef: { key: 'API_KEY' } }] },
    "spec.data[0].secretKey \"..\": must not be '.' or start with '..'",
  ],
  [
    'bad-store-provider',
    { secretStoreRef: { name: 'aws-store', kind: 'SecretStore' } },
    'SecretStore team-a/aws-store uses provider "aws", which is not installed',
  ],
  [
    'bad-store-missing',
    { secretStoreRef: { name: 'nowhere', kind: 'ClusterSecretStore' } },
    'ClusterSecretStore nowhere not found',
  ],
];

describe('bad input among good manifests', () => {
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

  it('should fail each bad manifest alone, naming its field, while the good ones sync', async () => {
    sim.reset();
    sim.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      demoStore,
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'SecretStore',
        metadata: { name: 'aws-store', namespace: NS },
        spec: { provider: { aws: { service: 'SecretsManager' } } },
      },
      externalSecret('good-first'),
      ...BAD.map(([name, spec]) => externalSecret(name, spec)),
      externalSecret('good-last', {
        data: [
          { secretKey: 'api-key', remoteRef: { key: 'API_KEY' } },
          { secretKey: 'bad key', remoteRef: { key: 'DB_USER' } },
          { secretKey: 'user', remoteRef: { key: 'DB_USER' } },
        ],
      }),
    );
    backend = await startReconcilerTestBackend({ sim, entities: [ENTITY] });

    await backend.runCycle();
    const res = await request(backend.server).get(
      '/api/external-secrets/entities/component/default/web/status',
    );
    const byName = Object.fromEntries(
      (res.body.externalSecrets as any[]).map(es => [es.name, es]),
    );

    expect(byName['good-first'].state).toBe('Synced');
    expect(
      sim.get({ kind: 'Secret', namespace: NS, name: 'good-first' }),
    ).toMatchObject({ data: { 'api-key': b64(CANARY) } });
    // One invalid entry keeps the whole ExternalSecret from writing, as the
    // apiserver's CRD validation would refuse the whole object for ESO.
    expect(
      sim.get({ kind: 'Secret', namespace: NS, name: 'good-last' }),
    ).toBeUndefined();
    expect(byName['good-last'].state).toBe('Error');
    expect(JSON.stringify(byName['good-last'])).toContain('spec.data[1]');
    for (const [name, , field] of BAD) {
      expect([name, byName[name]?.state]).not.toEqual([name, 'Synced']);
      expect([name, byName[name]?.message]).toEqual([
        name,
        expect.stringContaining(field),
      ]);
      expect(sim.get({ kind: 'Secret', namespace: NS, name })).toBeUndefined();
    }
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
  });
});
