import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { createInfisicalHandlers } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  ENV,
  infisicalStore,
  leakedCanaries,
  PROJECT,
  storeContext,
  universalAuthSecrets,
  type StoreOptions,
} from '../__testUtils__/testWorld';

const server = setupServer();
registerMswTestHooks(server);

function setup(scope: StoreOptions['scope'] = {}) {
  const world = createTestWorld();
  server.use(...createInfisicalHandlers(world.simulator));
  const set = (key: string, path: string) =>
    world.simulator.setSecret({
      project: PROJECT,
      environment: ENV,
      path,
      key,
      value: CANARY.otherValue,
    });
  set('DB_USER', '/');
  set('PASSWORD', '/app/db');
  set('TOKEN', '/app');
  const client = () =>
    world.provider.newClient(infisicalStore({ scope }), world.context);
  return { ...world, client };
}

describe('InfisicalSecretsClient.listKeyNames', () => {
  it('should list every folder the reconciler can read, with one recursive list call from the root', async () => {
    const { client, simulator, lines } = setup();
    const listing = await (await client()).listKeyNames!();

    // A non-recursive store at / still reads /app/TOKEN through an absolute
    // key (resolveSecretAddress), so the listing offers it.
    expect(listing).toEqual({
      keys: ['/app/TOKEN', '/app/db/PASSWORD', 'DB_USER', 'MY_SECRET_NAME'],
      complete: true,
    });
    expect(simulator.requests('listSecretsV4')).toHaveLength(1);
    expect(simulator.requests('listSecretsV4')[0].query).toMatchObject({
      secretPath: '/',
      recursive: 'true',
    });
    expect(leakedCanaries([JSON.stringify(listing), ...lines])).toEqual([]);
  });

  it.each([
    [
      '/',
      true,
      ['/app/TOKEN', '/app/db/PASSWORD', 'DB_USER', 'MY_SECRET_NAME'],
    ],
    [
      '/app',
      false,
      ['/DB_USER', '/MY_SECRET_NAME', '/app/db/PASSWORD', 'TOKEN'],
    ],
    [
      '/app',
      true,
      ['/DB_USER', '/MY_SECRET_NAME', '/app/db/PASSWORD', 'TOKEN'],
    ],
  ])(
    'should name keys outside the scope folder %s (recursive %s) by absolute path, which every ESO version reads',
    async (secretsPath, recursive, expected) => {
      const { client } = setup({ secretsPath, recursive });
      await expect((await client()).listKeyNames!()).resolves.toEqual({
        keys: expected,
        complete: true,
      });
    },
  );

  it('should fall back to the store scope, marked incomplete, when the identity may not list the whole environment', async () => {
    const { client, simulator } = setup({ secretsPath: '/app' });
    simulator.injectFault({
      route: 'listSecretsV4',
      status: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to read on secrets',
    });

    const listing = await (await client()).listKeyNames!();

    expect(listing.keys).toEqual(['TOKEN']);
    expect(listing.complete).toBe(false);
    expect(listing.incompleteReason).toMatch(/HTTP 403/);
    expect(listing.incompleteReason).toMatch(/\/folder\/KEY/);
  });

  it('should leave out secrets the identity may list but not read', async () => {
    const { provider, simulator, logger } = setup();
    const namesOnly = simulator.addUniversalAuthIdentity({
      identityId: 'names-only',
      clientId: 'names-only-id',
      clientSecret: 'names-only-secret',
    });
    simulator.grant(namesOnly, PROJECT, { readValue: false });
    const client = await provider.newClient(
      infisicalStore(),
      storeContext({
        logger,
        secrets: universalAuthSecrets('names-only-id', 'names-only-secret'),
      }),
    );

    await expect(client.listKeyNames!()).resolves.toEqual({
      keys: [],
      complete: true,
    });
  });
});
