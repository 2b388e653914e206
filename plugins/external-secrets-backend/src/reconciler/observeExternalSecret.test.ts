import { Entity } from '@backstage/catalog-model';
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { DatabaseStatusStore } from '../database/DatabaseStatusStore';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { useFrozenDate } from '../__testUtils__/frozenDate';

jest.setTimeout(60_000);

/**
 * Observe mode maps ESO's status faithfully (issue #17 item 21): ESO writes
 * Ready=True once it has applied the Secret (externalsecret_controller.go),
 * so a target not yet visible to us is "waiting" (our read raced it, or the
 * informer lags), not NotFound; and a Ready status whose refreshTime is older
 * than refreshInterval plus slack means ESO has stopped refreshing it: stale,
 * with the age shown.
 */

const NS = 'payments';
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

const ago = (ms: number) =>
  new Date(Math.floor((Date.now() - ms) / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');

function observed(refreshTime: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name: 'db',
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'eso-store' },
      target: { name: 'db' },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    },
    status: {
      refreshTime,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'SecretSynced',
          message: 'secret synced',
          lastTransitionTime: refreshTime,
        },
      ],
    },
  };
}

const SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: NS },
  data: { password: Buffer.from('x').toString('base64') },
};

describe('observe mode: ESO status as ESO means it', () => {
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

  async function observe() {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      cluster: { mode: 'observe', esoFree: false },
    });
    await backend.runCycle();
    const res = await request(backend.server).get(
      '/api/external-secrets/entities/component/default/checkout/status',
    );
    expect(res.status).toBe(200);
    return res.body.externalSecrets[0];
  }

  it('should report Ready=True with the target not yet visible as waiting, not NotFound', async () => {
    sim.seed(observed(ago(60_000)));
    const status = await observe();
    expect(status).toMatchObject({
      state: 'Pending',
      reason: 'WaitingForTarget',
      message: expect.stringContaining('not visible yet'),
    });
  });

  it('should report a Ready status older than refreshInterval plus slack as stale, with its age', async () => {
    sim.seed(observed(ago(3 * 3600_000)), SECRET);
    const status = await observe();
    expect(status).toMatchObject({
      state: 'Synced',
      reason: 'Stale',
      message: expect.stringMatching(/stale.*3h.*refreshInterval 1h/),
    });
  });

  it('should report a fresh Ready status with its target as synced', async () => {
    sim.seed(observed(ago(60_000)), SECRET);
    expect(await observe()).toMatchObject({
      state: 'Synced',
      reason: 'SecretSynced',
    });
  });

  describe('last attempt (issue #19 item 6: it moves on every attempt)', () => {
    const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
    const clock = useFrozenDate(() => Math.floor(Date.now() / 1000) * 1000);

    it('should move lastAttemptAt on every observation, with one statement per cycle rather than a row save per ExternalSecret', async () => {
      const other = observed(ago(60_000));
      other.metadata.name = 'cache';
      other.spec.target.name = 'cache';
      sim.seed(observed(ago(60_000)), other, SECRET, {
        ...SECRET,
        metadata: { name: 'cache', namespace: NS },
      });
      const knex = await databases.init('SQLITE_3');
      backend = await startReconcilerTestBackend({
        sim,
        entities: [CHECKOUT],
        cluster: { mode: 'observe', esoFree: false },
        knex,
      });
      const status = () =>
        request(backend!.server).get(
          '/api/external-secrets/entities/component/default/checkout/status',
        );
      await backend.runCycle();
      const first = await status();
      expect(
        first.body.externalSecrets.map((e: any) => e.lastAttemptAt),
      ).toEqual([
        new Date(clock.now()).toISOString(),
        new Date(clock.now()).toISOString(),
      ]);

      // A minute later ESO's status is the same: nothing to save but when we looked.
      clock.advance(60_000);
      const writes: string[] = [];
      const onQuery = (q: { sql: string }) => {
        if (
          /^(update|insert into|delete from) .es_external_secrets/i.test(q.sql)
        )
          writes.push(q.sql);
      };
      knex.on('query', onQuery);
      await backend.runCycle();
      knex.off('query', onQuery);

      const second = await status().set('If-None-Match', first.headers.etag);
      expect(second.status).toBe(200);
      expect(second.body.externalSecrets).toEqual([
        expect.objectContaining({
          name: 'cache',
          state: 'Synced',
          lastAttemptAt: new Date(clock.now()).toISOString(),
        }),
        expect.objectContaining({
          name: 'db',
          state: 'Synced',
          lastAttemptAt: new Date(clock.now()).toISOString(),
        }),
      ]);
      expect(writes).toHaveLength(1);
    });

    it('should finish the cycle when saving the last attempt fails: a vanished ExternalSecret is still forgotten', async () => {
      const other = observed(ago(60_000));
      other.metadata.name = 'cache';
      other.spec.target.name = 'cache';
      sim.seed(observed(ago(60_000)), other, SECRET);
      backend = await startReconcilerTestBackend({
        sim,
        entities: [CHECKOUT],
        cluster: { mode: 'observe', esoFree: false },
        knex: await databases.init('SQLITE_3'),
      });
      const names = async () =>
        (
          await request(backend!.server).get(
            '/api/external-secrets/entities/component/default/checkout/status',
          )
        ).body.externalSecrets.map((e: { name: string }) => e.name);
      await backend.runCycle();
      expect(await names()).toEqual(['cache', 'db']);

      // 'db' is unchanged (its last attempt is saved), 'cache' is deleted.
      sim.remove({ kind: 'ExternalSecret', namespace: NS, name: 'cache' });
      const markAttempted = jest
        .spyOn(DatabaseStatusStore.prototype, 'markAttempted')
        .mockRejectedValue(new Error('SQLITE_BUSY: database is locked'));
      try {
        clock.advance(60_000);
        await backend.runCycle();
        expect(markAttempted).toHaveBeenCalled();
      } finally {
        markAttempted.mockRestore();
      }
      expect(await names()).toEqual(['db']);
    });
  });
});
