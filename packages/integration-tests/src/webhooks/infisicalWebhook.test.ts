import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import { JsonObject } from '@backstage/types';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';
import {
  CHECKOUT,
  endpointsOf,
  ENVIRONMENT,
  externalSecret,
  pluginConfig,
  ReliabilityWorld,
  secretData,
  setRemote,
  startReliabilityWorld,
  PROJECT,
  STORE,
} from '../reliability/__testUtils__/reliabilityWorld';
import { useSteppableClock } from '../reliability/__testUtils__/steppableClock';

jest.setTimeout(60_000);

const SIGNING_SECRET = 'webhook-signing-canary-7f3c91';
const WEBHOOK = '/api/external-secrets/webhooks/infisical';

/** As Infisical signs: the header repeats the body's own `timestamp`. */
function sign(body: string, secret = SIGNING_SECRET) {
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return `t=${JSON.parse(body).timestamp};${signature}`;
}

function modified(
  world: ReliabilityWorld,
  environment = ENVIRONMENT,
  workspaceId = world.infisical.projectId(PROJECT),
  timestamp = Date.now(),
) {
  return JSON.stringify({
    event: 'secrets.modified',
    project: { workspaceId, environment, secretPath: '/' },
    timestamp,
  });
}

describe('Infisical webhook and polling propagation', () => {
  const clock = useSteppableClock();
  let world: ReliabilityWorld;
  let backend: IntegrationBackend | undefined;

  beforeEach(async () => {
    world = await startReliabilityWorld();
    setRemote(world, 'DB_USER', 'v1');
    // A refresh interval far beyond the test: only propagation reads again.
    world.kubernetes.seed(
      externalSecret('db', ['DB_USER'], { refreshInterval: '1h' }),
    );
  });

  afterEach(async () => {
    await backend?.stop();
    await world.stop();
  });

  async function start(store: JsonObject) {
    backend = await startIntegrationBackend({
      sim: world.kubernetes,
      entities: [CHECKOUT],
      config: pluginConfig(endpointsOf(world), {
        propagation: {
          stores: [{ kind: 'ClusterSecretStore', name: STORE, ...store }],
          webhooks: { infisical: { signingSecret: SIGNING_SECRET } },
        },
      }),
      extraFeatures: [infisicalModule],
    });
    await backend.runCycle();
    expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v1' });
    setRemote(world, 'DB_USER', 'v2');
    world.infisical.clearRequests();
    return backend;
  }

  const post = (body: string, signature?: string) => {
    const req = request(backend!.server)
      .post(WEBHOOK)
      .set('content-type', 'application/json');
    return signature === undefined
      ? req.send(body)
      : req.set('x-infisical-signature', signature).send(body);
  };

  it('should sync a store at once when a signed secrets.modified webhook names its environment', async () => {
    const b = await start({ webhook: true });
    const body = modified(world);

    const res = await post(body, sign(body));

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true, event: 'secrets.modified' });
    expect(b.scheduler.triggerTask).toHaveBeenCalledWith(
      'external-secrets-reconcile:test',
    );
    await b.runCycle();
    expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v2' });
  });

  it('should act on a webhook once: the cycle after the sync reads nothing', async () => {
    const b = await start({ webhook: true });
    const body = modified(world);
    await post(body, sign(body));
    await b.runCycle();
    world.infisical.clearRequests();

    await b.runCycle();

    expect(world.infisical.requests()).toEqual([]);
  });

  it.each([
    ['no signature', () => undefined, /missing or malformed/, 0],
    [
      'a signature made with another secret',
      (body: string) => sign(body, 'not-the-secret'),
      /does not verify/,
      0,
    ],
    [
      'a replayed delivery an hour old',
      (body: string) => sign(body),
      /away from now/,
      3_600_000,
    ],
  ])(
    'should refuse a webhook with %s and sync nothing',
    async (_name, signatureFor, reason, ageMs) => {
      const b = await start({ webhook: true });
      const body = modified(
        world,
        ENVIRONMENT,
        world.infisical.projectId(PROJECT),
        Date.now() - ageMs,
      );

      const res = await post(body, signatureFor(body));

      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(reason);
      expect(JSON.stringify(res.body)).not.toContain(SIGNING_SECRET);
      await b.runCycle();
      expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v1' });
      expect(world.infisical.requests()).toEqual([]);
    },
  );

  it('should leave stores of another environment alone', async () => {
    const b = await start({ webhook: true });
    const body = modified(world, 'staging');

    expect((await post(body, sign(body))).status).toBe(202);
    await b.runCycle();

    expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v1' });
  });

  it('should leave stores of another project alone', async () => {
    const b = await start({ webhook: true });
    const other = world.infisical.addProject({ slug: 'other-project' });
    const body = modified(world, ENVIRONMENT, other);

    expect((await post(body, sign(body))).status).toBe(202);
    await b.runCycle();

    expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v1' });
  });

  it('should leave a store that did not opt into webhooks to its refresh interval', async () => {
    const b = await start({ pollInterval: '10m' });
    const body = modified(world);

    expect((await post(body, sign(body))).status).toBe(202);
    await b.runCycle();

    expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v1' });
  });

  it('should answer 400 to a signed body that is not an Infisical payload', async () => {
    await start({ webhook: true });
    const body = JSON.stringify({ hello: 'world', timestamp: Date.now() });

    const res = await post(body, sign(body));

    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('project');
  });

  it('should accept and ignore other Infisical events', async () => {
    const b = await start({ webhook: true });
    const body = JSON.stringify({
      event: 'secrets.reminder-expired',
      project: { workspaceId: 'ws-1', environment: ENVIRONMENT },
      timestamp: Date.now(),
    });

    const res = await post(body, sign(body));

    expect(res).toMatchObject({ status: 202, body: { accepted: false } });
    expect(b.scheduler.triggerTask).not.toHaveBeenCalled();
  });

  it('should poll a store once its poll interval has passed, with one list call', async () => {
    const b = await start({ pollInterval: '30s' });

    clock.advance(10_000);
    await b.runCycle();
    expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v1' });
    expect(world.infisical.requests()).toEqual([]);

    clock.advance(25_000);
    await b.runCycle();
    expect(secretData(world.kubernetes, 'db')).toEqual({ db_user: 'v2' });
    expect(
      world.infisical.requests().filter(r => r.route === 'listSecretsV4'),
    ).toHaveLength(1);
  });
});
