import { Entity } from '@backstage/catalog-model';
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
  StoredObject,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import {
  LoginProviderCalls,
  loginProviderModule,
  newLoginProviderCalls,
  REVOKED_TOKEN,
} from '../__testUtils__/loginProvider';
import { useFrozenDate } from '../__testUtils__/frozenDate';

jest.setTimeout(60_000);

/**
 * ESO's flood gate (pkg/controllers/secretstore/client_manager.go,
 * Manager.Get → assertStoreIsUsable, on by default): an ExternalSecret reads
 * nothing through a store whose Ready condition is not True, and a store
 * never validated has no Ready condition, so it is not read either. The store
 * controller (pkg/controllers/secretstore/common.go, validateStore) sets Ready
 * True for ValidationResultReady and ValidationResultUnknown, False otherwise.
 * Issue #17 item 8.
 */

const STORE = 'login-store';
const CANARY = 'canary-gate-7d1e-never-in-status';
const b64 = (text: string) => Buffer.from(text).toString('base64');

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

/** A ClusterSecretStore of the `login` provider; refs without namespace resolve per ExternalSecret. */
function store(
  secretRef: { name: string; key: string; namespace?: string },
  // By default validation is due every cycle, so recovery shows in the next
  // one; null leaves ESO's default (5 minutes).
  refreshInterval: number | null = 0,
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: STORE },
    spec: {
      ...(refreshInterval === null ? {} : { refreshInterval }),
      provider: {
        login: {
          auth: { secretRef },
          data: [{ key: 'DB_PASSWORD', value: CANARY }],
        },
      },
    },
  } as StoredObject;
}

const namespace = (name: string): StoredObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

const token = (ns: string, value: string): StoredObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'login-token', namespace: ns },
  data: { token: b64(value) },
});

function externalSecret(ns: string, name = 'db'): StoredObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: ns,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: STORE },
      target: { name },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    },
  };
}

describe('store gate (ESO: flood gate, assertStoreIsUsable)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;
  let calls: LoginProviderCalls;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.reset();
    calls = newLoginProviderCalls();
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const start = async () => {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      knex: await databases.init('SQLITE_3'),
      extraFeatures: [loginProviderModule(calls)],
    });
    return backend;
  };
  const secret = (ns: string, name = 'db') =>
    sim.get({ kind: 'Secret', namespace: ns, name }) as
      | (StoredObject & { data?: Record<string, string> })
      | undefined;
  const readyOf = (ns: string, name = 'db') =>
    (
      sim.get({ kind: 'ExternalSecret', namespace: ns, name }) as any
    )?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
  const statusOf = async (ns: string, name = 'db') => {
    const res = await request(backend!.server).get(
      '/api/external-secrets/entities/component/default/checkout/status',
    );
    expect(res.status).toBe(200);
    return (res.body.externalSecrets as any[]).find(
      e => e.namespace === ns && e.name === name,
    );
  };
  const storeRecord = async () => {
    const res = await request(backend!.server).get(
      '/api/external-secrets/stores',
    );
    expect(res.status).toBe(200);
    return (res.body.stores as any[]).find(s => s.name === STORE);
  };

  describe('a store never validated before', () => {
    it('should read nothing through it when its validation fails, and say why (StoreNotReady)', async () => {
      sim.seed(
        namespace('platform'),
        namespace('payments'),
        token('platform', REVOKED_TOKEN),
        store({ name: 'login-token', key: 'token', namespace: 'platform' }),
        externalSecret('payments'),
      );
      const b = await start();

      await b.runCycle();

      // Validated once, before any read; no client, no read for the ExternalSecret.
      expect(calls.validations).toHaveLength(1);
      expect(calls.clients).toEqual([]);
      expect(calls.reads).toBe(0);
      expect(secret('payments')).toBeUndefined();
      const ready = readyOf('payments');
      expect(ready).toMatchObject({ status: 'False' });
      expect(ready.message).toContain(
        `store ClusterSecretStore/${STORE} is not ready`,
      );
      expect(ready.message).toContain(
        'login failed: HTTP 401 Unauthorized, the token was revoked (request id req-7)',
      );
      expect(ready.message).toContain('GET /stores');
      const status = await statusOf('payments');
      expect(status.state).toBe('Error');
      expect(status.keys).toEqual([
        expect.objectContaining({ reason: 'StoreNotReady' }),
      ]);
      expect(JSON.stringify(status)).not.toContain(CANARY);
    });

    it('should sync through it in its first cycle when it validates', async () => {
      sim.seed(
        namespace('platform'),
        namespace('payments'),
        token('platform', 'good-token'),
        store({ name: 'login-token', key: 'token', namespace: 'platform' }),
        externalSecret('payments'),
      );
      const b = await start();

      await b.runCycle();

      expect(calls.validations).toHaveLength(1);
      expect(secret('payments')?.data).toEqual({ password: b64(CANARY) });
      expect(readyOf('payments')).toMatchObject({ status: 'True' });
      expect(await storeRecord()).toMatchObject({ ready: true });
      // Its status is written once: the reads that prove it again after the
      // validation change nothing (no second write from a stale copy, no 409).
      expect(
        sim.requests
          .filter(r => r.resource === 'clustersecretstores/status')
          .map(r => r.status),
      ).toEqual([200]);
    });
  });

  it('should sync in the first cycle after the store recovers, without backoff', async () => {
    sim.seed(
      namespace('platform'),
      namespace('payments'),
      token('platform', REVOKED_TOKEN),
      store({ name: 'login-token', key: 'token', namespace: 'platform' }),
      externalSecret('payments'),
    );
    const b = await start();
    await b.runCycle();
    expect(secret('payments')).toBeUndefined();

    // The admin rotates the revoked token; the failed store is validated
    // again before the next cycle's reads.
    sim.seed(token('platform', 'rotated-token'));
    await b.runCycle();

    expect(secret('payments')?.data).toEqual({ password: b64(CANARY) });
    expect(readyOf('payments')).toMatchObject({ status: 'True' });
    expect(await storeRecord()).toMatchObject({ ready: true, reason: 'Valid' });
  });

  it('should validate a failed store again as soon as its spec changes, as ESO reconciles a store on every update', async () => {
    // pkg/controllers/secretstore/clustersecretstore_controller.go,
    // SetupWithManager: For(&ClusterSecretStore{}) reconciles (validates) the
    // store on every update, so an edited spec is validated at once, not
    // after its backoff.
    const withToken = (name: string) =>
      store({ name, key: 'token', namespace: 'platform' }, null);
    const fresh = token('platform', 'fresh-token');
    fresh.metadata.name = 'fresh-token';
    sim.seed(
      namespace('platform'),
      namespace('payments'),
      token('platform', REVOKED_TOKEN),
      fresh,
      withToken('login-token'),
      externalSecret('payments'),
    );
    const b = await start();
    await b.runCycle();
    expect(secret('payments')).toBeUndefined();
    expect(calls.validations).toHaveLength(1);

    // The admin points the store at a working token.
    sim.seed(withToken('fresh-token'));
    await b.runCycle();

    expect(calls.validations).toHaveLength(2);
    expect(secret('payments')?.data).toEqual({ password: b64(CANARY) });
  });

  describe('retrying a failed store (ESO: the store controller requeues with backoff)', () => {
    // pkg/controllers/secretstore/common.go, reconcile: a failed validation
    // returns its error, so controller-runtime requeues the store with its
    // per-item exponential backoff (starting in milliseconds, doubling),
    // and a success resets it (Forget) and requeues after refreshInterval.
    // Here a failed store is validated again at the next cycle, then after
    // 30 s, 1, 2, 4 minutes..., at most every spec.refreshInterval.
    const MINUTE = 60_000;
    const clock = useFrozenDate(() => Date.parse('2026-12-06T12:00:00Z'));
    /** Runs the cycle `minutes` after the previous one, as the scheduler's 1-minute cadence would. */
    const cycleAfter = async (b: ReconcilerTestBackend, minutes = 1) => {
      clock.advance(minutes * MINUTE);
      await b.runCycle();
    };
    const failingStore = () =>
      sim.seed(
        namespace('platform'),
        namespace('payments'),
        token('platform', REVOKED_TOKEN),
        // ESO's default refreshInterval: 5 minutes.
        store(
          { name: 'login-token', key: 'token', namespace: 'platform' },
          null,
        ),
        externalSecret('payments'),
      );

    it('should make a store whose login failed Ready at the next cycle after the credential is fixed, without waiting its refreshInterval', async () => {
      failingStore();
      const b = await start();
      await b.runCycle();
      expect(secret('payments')).toBeUndefined();

      sim.seed(token('platform', 'rotated-token'));
      await cycleAfter(b);

      expect(calls.validations).toHaveLength(2);
      expect(await storeRecord()).toMatchObject({ ready: true });
      expect(secret('payments')?.data).toEqual({ password: b64(CANARY) });
      expect(readyOf('payments')).toMatchObject({ status: 'True' });
    });

    it('should validate a store that keeps failing less and less often, at most every refreshInterval, and start again from the next cycle after a success', async () => {
      failingStore();
      const b = await start();
      const validatedAt: number[] = [];
      const track = async (minute: number) => {
        const before = calls.validations.length;
        if (minute === 0) await b.runCycle();
        else await cycleAfter(b);
        if (calls.validations.length > before) validatedAt.push(minute);
      };
      for (let minute = 0; minute <= 15; minute++) await track(minute);

      // Next cycle, then 30 s (the next cycle), 1, 2, 4 minutes, then the
      // 5-minute refreshInterval: never more than one validation a cycle.
      expect(validatedAt).toEqual([0, 1, 2, 3, 5, 9, 14]);
      expect(calls.reads).toBe(0);
      const notReady = readyOf('payments');
      expect(notReady.message).toContain(
        'validated again before the reads of the next cycle, then less often',
      );
      expect(JSON.stringify(notReady)).not.toContain(CANARY);

      // Fixed: Ready at its next validation (minute 19 on this backoff).
      sim.seed(token('platform', 'rotated-token'));
      for (let minute = 16; minute <= 19; minute++) await track(minute);
      expect(validatedAt.slice(-1)).toEqual([19]);
      expect(await storeRecord()).toMatchObject({ ready: true });
      expect(secret('payments')?.data).toEqual({ password: b64(CANARY) });

      // Revoked again: found at the Ready store's next validation (its
      // refreshInterval), then retried from the next cycle, as a success
      // reset the backoff.
      sim.seed(token('platform', REVOKED_TOKEN));
      for (let minute = 20; minute <= 25; minute++) await track(minute);
      expect(await storeRecord()).toMatchObject({ ready: false });
      expect(validatedAt.slice(-2)).toEqual([24, 25]);
    });
  });

  describe('a ClusterSecretStore whose credential refs name no namespace', () => {
    // ESO cannot validate such a store alone: its refs resolve in each
    // ExternalSecret's namespace. Its referent-auth providers answer
    // ValidationResultUnknown (providers/v1/vault/validate.go and
    // providers/v1/kubernetes/validate.go, Validate; aws secretsmanager
    // Validate with referentAuth), which validateStore turns into Ready True:
    // usable, and each namespace's own credentials fail on its own
    // ExternalSecrets.
    it('should count as usable (validation unknown) and let each namespace succeed or fail on its own', async () => {
      sim.seed(
        namespace('team-a'),
        namespace('team-b'),
        store({ name: 'login-token', key: 'token' }),
        // team-b has no credentials yet: only its ExternalSecret fails.
        externalSecret('team-b'),
      );
      const b = await start();

      await b.runCycle();

      expect(calls.validations).toEqual([]);
      expect(secret('team-b')).toBeUndefined();
      const failing = readyOf('team-b');
      expect(failing).toMatchObject({ status: 'False' });
      expect(failing.message).toContain('team-b');
      expect(failing.message).toContain('login-token');
      expect((await statusOf('team-b')).keys).toEqual([
        expect.not.objectContaining({ reason: 'StoreNotReady' }),
      ]);
      expect(await storeRecord()).toMatchObject({
        ready: true,
        reason: 'ValidationUnknown',
      });

      // One namespace's missing credentials never close the store for the
      // others: team-a, with its own token, syncs in the next cycle.
      sim.seed(token('team-a', 'team-a-token'), externalSecret('team-a'));
      await b.runCycle();

      expect(secret('team-a')?.data).toEqual({ password: b64(CANARY) });
      expect(calls.clients).toContain('team-a');
      expect(calls.validations).toEqual([]);
    });
  });
});
