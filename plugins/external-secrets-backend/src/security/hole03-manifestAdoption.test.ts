import { mockServices, ServiceMock } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
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

/**
 * Hole 3 of issue #16: an entity-declared manifest adopted and overwrote an
 * existing Secret it did not create (a cert-manager TLS Secret, another
 * team's hand-made Secret). ESO adopts a Secret without a controller owner,
 * but an ExternalSecret CR was created by someone RBAC let into the
 * namespace; an entity author was not. Manifests now write only Secrets they
 * created; CRs keep ESO's adoption rule.
 */

const NS = 'team-a';
const CANARY_CERT = 'canary-hole03-cert-manager-tls-crt';
const CANARY_KEY = 'canary-hole03-cert-manager-tls-key';
const PROVIDER_VALUE = 'canary-hole03-provider-value';
const SOURCE = 'https://git.example.com/team-a/web/tree/main/';
const API = '/api/external-secrets';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const RULE = 'entity-declared manifests never adopt existing Secrets';

function web(): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'web',
      namespace: 'default',
      annotations: {
        'external-secrets.io/manifests': './es.yaml',
        'backstage.io/source-location': `url:${SOURCE}`,
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

function manifest(target: string) {
  return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: web-tls
  namespace: ${NS}
spec:
  refreshInterval: 1ms
  secretStoreRef: { kind: ClusterSecretStore, name: shared }
  target: { name: ${target} }
  data:
    - secretKey: tls.crt
      remoteRef: { key: WEB_TLS_CRT }
`;
}

function readerServing(text: () => string): ServiceMock<UrlReaderService> {
  return mockServices.urlReader.mock({
    readUrl: async (url: string) => {
      if (url !== `${SOURCE}es.yaml`) throw new Error(`unexpected ${url}`);
      return {
        buffer: async () => Buffer.from(text()),
      } as Awaited<ReturnType<UrlReaderService['readUrl']>>;
    },
  });
}

/** Team A may declare manifests into its namespace (hole 2's gate). */
const TEAM_A_RULES: JsonObject = {
  manifests: {
    clusters: [
      {
        name: 'test',
        allow: [{ owners: ['group:default/team-a'], namespaces: [NS] }],
      },
    ],
  },
};

/** A TLS Secret as cert-manager leaves it: no ownerReferences, its own labels. */
const CERT_MANAGER_SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/tls',
  metadata: {
    name: 'tls',
    namespace: NS,
    labels: { 'controller.cert-manager.io/fao': 'true' },
    annotations: { 'cert-manager.io/certificate-name': 'web' },
  },
  data: { 'tls.crt': b64(CANARY_CERT), 'tls.key': b64(CANARY_KEY) },
};

function secretWrites(sim: KubernetesSimulator) {
  return sim.requests.filter(
    r =>
      r.resource === 'secrets' &&
      ['create', 'update', 'patch', 'delete'].includes(r.verb ?? ''),
  );
}

describe('hole 3: an entity-declared manifest never adopts an existing Secret', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.reset();
    sim.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'shared' },
      spec: {
        provider: {
          fake: { data: [{ key: 'WEB_TLS_CRT', value: PROVIDER_VALUE }] },
        },
      },
    });
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start() {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [web()],
      config: TEAM_A_RULES,
      extraFeatures: [readerServing(() => manifest('tls')).factory],
    });
    return backend;
  }

  async function records() {
    const res = await request(backend!.server).get(
      `${API}/entities/component/default/web/status`,
    );
    expect(res.status).toBe(200);
    return { rows: res.body.externalSecrets as any[], body: res.text };
  }

  const tls = () =>
    sim.get({ kind: 'Secret', namespace: NS, name: 'tls' }) as any;

  it('should leave a cert-manager TLS Secret untouched and say why on the card', async () => {
    sim.seed(CERT_MANAGER_SECRET);
    sim.clearRequests();
    const b = await start();

    await b.runCycle();
    await b.runCycle();

    expect(secretWrites(sim)).toEqual([]);
    expect(tls().data).toEqual(CERT_MANAGER_SECRET.data);
    expect(tls().metadata.labels).toEqual(CERT_MANAGER_SECRET.metadata.labels);
    expect(tls().metadata.annotations).toEqual(
      CERT_MANAGER_SECRET.metadata.annotations,
    );
    const { rows, body } = await records();
    expect(rows).toEqual([
      expect.objectContaining({
        name: 'web-tls',
        state: 'Error',
        message: expect.stringContaining(
          `Secret ${NS}/tls exists and was not created by this ExternalSecret; ${RULE}`,
        ),
      }),
    ]);
    expect(body).not.toContain(CANARY_CERT);
    expect(body).not.toContain(PROVIDER_VALUE);
  });

  it("should not adopt another ExternalSecret's managed Secret either (managed label, not created by this one)", async () => {
    sim.seed({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'tls',
        namespace: NS,
        labels: { 'reconcile.external-secrets.io/managed': 'true' },
        annotations: { 'reconcile.external-secrets.io/data-hash': 'abc' },
      },
      data: { 'tls.crt': b64(CANARY_CERT) },
    });
    sim.clearRequests();
    const b = await start();

    await b.runCycle();

    expect(secretWrites(sim)).toEqual([]);
    expect(tls().data['tls.crt']).toBe(b64(CANARY_CERT));
    expect((await records()).rows[0]).toMatchObject({
      state: 'Error',
      message: expect.stringContaining(RULE),
    });
  });

  it('should refuse a Secret that appears between the read and the create (409 on create, no overwrite)', async () => {
    const b = await start();
    // The Secret shows up after the cycle found the name free: the create
    // answers 409 and the retry must not turn into an update of it.
    const createSeen = () =>
      sim.requests.some(r => r.verb === 'create' && r.resource === 'secrets');
    const gate = new Promise<void>(resolve => {
      const timer = setInterval(() => {
        if (!createSeen()) return;
        clearInterval(timer);
        sim.seed(CERT_MANAGER_SECRET);
        resolve();
      }, 1);
      timer.unref();
    });
    sim.injectFault({ verb: 'create', resource: 'secrets', times: 1, gate });

    await b.runCycle();

    expect(tls().data).toEqual(CERT_MANAGER_SECRET.data);
    expect(tls().metadata.labels).toEqual(CERT_MANAGER_SECRET.metadata.labels);
  });

  it('should keep writing the Secret it created itself (create, then update in place)', async () => {
    const b = await start();
    await b.runCycle();
    const created = tls();
    expect(created.data['tls.crt']).toBe(b64(PROVIDER_VALUE));

    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'shared' },
      spec: {
        provider: { fake: { data: [{ key: 'WEB_TLS_CRT', value: 'v2' }] } },
      },
    });
    await b.runCycle();

    expect(tls().data['tls.crt']).toBe(b64('v2'));
    expect((await records()).rows[0]).toMatchObject({ state: 'Synced' });
  });
});
