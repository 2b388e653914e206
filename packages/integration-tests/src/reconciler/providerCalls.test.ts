import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import request from 'supertest';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';
import {
  CHECKOUT,
  endpointsOf,
  externalSecret,
  pluginConfig,
  ReliabilityWorld,
  setRemote,
  startReliabilityWorld,
} from '../reliability/__testUtils__/reliabilityWorld';
import { useSteppableClock } from '../reliability/__testUtils__/steppableClock';

jest.setTimeout(60_000);

/**
 * Issue #11's target: a steady cycle costs at most one provider request per
 * scope, store validation included (ESO re-validates every 5 minutes).
 */
describe('ReconcileCycle provider calls', () => {
  const clock = useSteppableClock();
  let world: ReliabilityWorld;
  let backend: IntegrationBackend | undefined;

  beforeEach(async () => {
    world = await startReliabilityWorld();
    setRemote(world, 'DB_USER', 'orders');
    setRemote(world, 'DB_HOST', 'db.internal');
    world.kubernetes.seed(externalSecret('db', ['DB_USER']));
    world.kubernetes.seed(externalSecret('host', ['DB_HOST']));
    backend = await startIntegrationBackend({
      sim: world.kubernetes,
      entities: [CHECKOUT],
      config: pluginConfig(endpointsOf(world)),
      extraFeatures: [infisicalModule],
    });
  });

  afterEach(async () => {
    await backend?.stop();
    await world.stop();
  });

  const lists = () =>
    world.infisical.requests().filter(r => r.route === 'listSecretsV4');
  const logins = () =>
    world.infisical.requests().filter(r => r.route === 'universalAuthLogin');

  async function storeReady() {
    const res = await request(backend!.server).get(
      '/api/external-secrets/stores',
    );
    expect(res.status).toBe(200);
    return res.body.stores.map((s: { name: string; ready: boolean }) => [
      s.name,
      s.ready,
    ]);
  }

  it('should validate a new store before its first reads, which then cost a 304', async () => {
    // ESO's flood gate (pkg/controllers/secretstore/client_manager.go,
    // assertStoreIsUsable) reads nothing through a store not validated yet.
    await backend!.runCycle();

    expect(lists().map(r => r.status)).toEqual([200, 304]);
    expect(await storeReady()).toEqual([['infisical-archon', true]]);
  });

  it('should cost one 304 per scope and no login on a due cycle where store validation is due too', async () => {
    await backend!.runCycle();
    world.infisical.clearRequests();
    clock.advance(301_000);

    await backend!.runCycle();

    expect(lists().map(r => r.status)).toEqual([304]);
    expect(logins()).toEqual([]);
    expect(await storeReady()).toEqual([['infisical-archon', true]]);
  });

  it('should still validate a store no ExternalSecret read this cycle, with a call of its own', async () => {
    world.kubernetes.remove({
      kind: 'ExternalSecret',
      namespace: 'payments',
      name: 'db',
    });
    world.kubernetes.remove({
      kind: 'ExternalSecret',
      namespace: 'payments',
      name: 'host',
    });

    await backend!.runCycle();

    expect(lists()).toHaveLength(1);
    expect(await storeReady()).toEqual([['infisical-archon', true]]);
  });
});
