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
  it('should list the names of the scope folder with one list call', async () => {
    const { client, simulator, lines } = setup();
    const names = await (await client()).listKeyNames!();

    expect(names).toEqual(['DB_USER', 'MY_SECRET_NAME']);
    expect(simulator.requests('listSecretsV4')).toHaveLength(1);
    expect(leakedCanaries([JSON.stringify(names), ...lines])).toEqual([]);
  });

  it.each([
    ['/', ['DB_USER', 'MY_SECRET_NAME', 'app/TOKEN', 'app/db/PASSWORD']],
    ['/app', ['TOKEN', 'db/PASSWORD']],
  ])(
    'should address subfolders of a recursive scope at %s relative to it, as remoteRef.key reads them',
    async (secretsPath, expected) => {
      const { client } = setup({ secretsPath, recursive: true });
      await expect((await client()).listKeyNames!()).resolves.toEqual(expected);
    },
  );

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

    await expect(client.listKeyNames!()).resolves.toEqual([]);
  });
});
