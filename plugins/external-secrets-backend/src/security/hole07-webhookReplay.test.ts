import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createHmac } from 'node:crypto';
import { Knex } from 'knex';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const SIGNING_SECRET = 'hole07-signing-canary-0b6e';
const WEBHOOK = '/api/external-secrets/webhooks/infisical';
/** The queue bound the plugin promises (webhooks: at most this many pending changes). */
const QUEUE_CAP = 100;

/**
 * A delivery exactly as Infisical's webhook service builds it: the payload
 * carries `timestamp: Date.now()`, the HMAC covers `JSON.stringify(payload)`,
 * and the header is `t=<that same timestamp>;<hex hmac>`.
 */
function delivery(
  options: { secretPath?: string; at?: number; headerAt?: number } = {},
) {
  const at = options.at ?? Date.now();
  const body = JSON.stringify({
    event: 'secrets.modified',
    project: {
      workspaceId: 'ws-team-a',
      environment: 'prod',
      secretPath: options.secretPath ?? '/',
    },
    timestamp: at,
  });
  const hmac = createHmac('sha256', SIGNING_SECRET).update(body).digest('hex');
  return { body, signature: `t=${options.headerAt ?? at};${hmac}` };
}

describe.each(databases.eachSupportedId())(
  'hole 7: webhook replay (%s)',
  databaseId => {
    let sim: KubernetesSimulator;
    let knex: Knex;
    let backend: ReconcilerTestBackend;

    beforeAll(async () => {
      sim = await startKubernetesSimulator();
    });
    afterAll(() => sim.stop());

    beforeEach(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      backend = await startReconcilerTestBackend({
        sim,
        entities: [],
        knex,
        config: {
          propagation: {
            webhooks: { infisical: { signingSecret: SIGNING_SECRET } },
          },
        },
      });
    });
    afterEach(() => backend.stop());

    const post = ({ body, signature }: { body: string; signature: string }) =>
      request(backend.server)
        .post(WEBHOOK)
        .set('content-type', 'application/json')
        .set('x-infisical-signature', signature)
        .send(body);

    const queued = async () =>
      Number((await knex('es_provider_changes').count({ n: '*' }))[0].n ?? 0);

    it('should refuse the same signed delivery POSTed twice and queue it once', async () => {
      const captured = delivery();

      expect((await post(captured)).status).toBe(202);
      const replay = await post(captured);

      expect([401, 409]).toContain(replay.status);
      expect(replay.body.error.message).toMatch(/already received/);
      expect(JSON.stringify(replay.body)).not.toContain(SIGNING_SECRET);
      expect(await queued()).toBe(1);
      expect(backend.scheduler.triggerTask).toHaveBeenCalledTimes(1);
    });

    it('should refuse a body whose timestamp differs from the signed header timestamp', async () => {
      // Header re-stamped with a fresh time over a body signed long ago: the
      // HMAC still verifies, only the body's own timestamp betrays the replay.
      const old = Date.now() - 3_600_000;
      const replayed = delivery({ at: old, headerAt: Date.now() });

      const res = await post(replayed);

      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/timestamp/);
      expect(await queued()).toBe(0);
    });

    it('should not grow the change queue beyond its cap under a flood of distinct valid deliveries', async () => {
      const flood = Array.from({ length: QUEUE_CAP * 2 + 10 }, (_, i) =>
        delivery({ secretPath: `/flood/${i}` }),
      );

      for (const d of flood) {
        expect((await post(d)).status).toBe(202);
      }

      expect(await queued()).toBeLessThanOrEqual(QUEUE_CAP);
      expect(await queued()).toBeGreaterThan(0);
    });
  },
);
