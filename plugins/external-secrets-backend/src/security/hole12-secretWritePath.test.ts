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

/**
 * Hole 12 of issue #16, the Kubernetes write path's share: a failed audit call
 * after a successful write was reported as "could not write Secret"; the
 * re-read after a 409 Conflict could throw past the cycle (no record, a stale
 * card); and every write carried the client library's default field manager.
 */

const NS = 'payments';
const API = '/api/external-secrets';
const FIELD_MANAGER = 'backstage-external-secrets';

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

function store(value: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'demo' },
    spec: {
      provider: { fake: { data: [{ key: 'DB_PASSWORD', value }] } },
    },
  };
}

function externalSecret(name: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: '1ms',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'demo' },
      target: { name },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    },
  };
}

const tick = () => new Promise(r => setTimeout(r, 5));

describe('hole 12: the Kubernetes write path reports what happened', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.reset();
    sim.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start() {
    backend = await startReconcilerTestBackend({ sim, entities: [CHECKOUT] });
    return backend;
  }

  async function records(b: ReconcilerTestBackend) {
    const res = await request(b.server).get(
      `${API}/entities/component/default/checkout/status`,
    );
    expect(res.status).toBe(200);
    return new Map<string, any>(
      res.body.externalSecrets.map((r: any) => [r.name, r]),
    );
  }

  const secret = (name: string) =>
    sim.get({ kind: 'Secret', namespace: NS, name }) as any;

  it('should not report "could not write Secret" when the Secret was written and only the audit call failed', async () => {
    sim.seed(store('v1'), externalSecret('db'));
    const b = await start();
    b.auditor.createEvent.mockRejectedValue(new Error('audit sink down'));

    await b.runCycle();

    expect(secret('db')).toBeDefined();
    const db = (await records(b)).get('db');
    expect(db.message ?? '').not.toContain('could not write Secret');
    expect(db.state).toBe('Synced');
  });

  it('should record an Error on that ExternalSecret, and sync the others, when the re-read after a 409 fails', async () => {
    sim.seed(store('v1'), externalSecret('db'), externalSecret('other'));
    const b = await start();
    await b.runCycle();
    sim.seed(store('v2'));
    sim.injectFault({
      verb: 'update',
      resource: 'secrets',
      name: 'db',
      status: 409,
      times: 1,
    });
    sim.injectFault({
      verb: 'get',
      resource: 'secrets',
      name: 'db',
      status: 503,
    });
    await tick();

    await b.runCycle();

    const rows = await records(b);
    expect(rows.get('db')).toMatchObject({
      state: 'Error',
      message: expect.stringContaining(
        `could not re-read Secret ${NS}/db after a conflict`,
      ),
    });
    expect(rows.get('other')).toMatchObject({ state: 'Synced' });
    expect(
      Buffer.from(secret('other').data.password, 'base64').toString(),
    ).toBe('v2');
  });

  // The target Secret is written as its ExternalSecret's own field manager,
  // named as ESO names it (fqdnFor, pkg/controllers/externalsecret/util.go):
  // managedFields then tell which ExternalSecret wrote which key. Every other
  // write names the plugin.
  it(`should send a named fieldManager with every write: the ExternalSecret's own on its Secret, ${FIELD_MANAGER} elsewhere`, async () => {
    sim.seed(store('v1'), externalSecret('db'));
    const b = await start();
    await b.runCycle();
    sim.seed(store('v2'));
    await tick();
    await b.runCycle();

    const writes = sim.requests.filter(r =>
      ['create', 'update', 'patch'].includes(r.verb ?? ''),
    );
    expect(writes.map(w => `${w.verb} ${w.resource}`)).toEqual(
      expect.arrayContaining([
        'create secrets',
        'update secrets',
        'update externalsecrets/status',
      ]),
    );
    expect(writes.map(w => w.query.fieldManager)).toEqual(
      writes.map(w =>
        w.resource === 'secrets'
          ? 'externalsecrets.external-secrets.io/db'
          : FIELD_MANAGER,
      ),
    );
  });
});
