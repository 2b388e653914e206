import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  externalSecretsProvidersExtensionPoint,
  type SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { setupServer } from 'msw/node';
import { externalSecretsModuleInfisical } from './module';
import { InfisicalProvider } from './provider/InfisicalProvider';
import { createInfisicalHandlers } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  infisicalStore,
} from './__testUtils__/testWorld';

const server = setupServer();
registerMswTestHooks(server);

async function startWithFakeExtensionPoint(config: object = {}) {
  const providers: SecretsProvider[] = [];
  const backend = await startTestBackend({
    extensionPoints: [
      [
        externalSecretsProvidersExtensionPoint,
        { addProvider: (p: SecretsProvider) => providers.push(p) },
      ],
    ],
    features: [
      externalSecretsModuleInfisical,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { backend, providers };
}

describe('externalSecretsModuleInfisical', () => {
  it('should register the infisical provider on the extension point', async () => {
    const { backend, providers } = await startWithFakeExtensionPoint();
    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(InfisicalProvider);
    expect(providers[0].name).toBe('infisical');
    expect(providers[0].capabilities.find).toEqual({
      path: true,
      nameRegexp: true,
      tags: true,
    });
    await backend.stop();
  });

  it('should refuse invalid module config at startup, naming the key', async () => {
    await expect(
      startWithFakeExtensionPoint({
        externalSecrets: {
          providers: { infisical: { requestTimeout: 'soon' } },
        },
      }),
    ).rejects.toThrow(/externalSecrets\.providers\.infisical\.requestTimeout/);
  });

  it('should revoke cached tokens when the backend stops', async () => {
    const world = createTestWorld();
    server.use(...createInfisicalHandlers(world.simulator));
    const { backend, providers } = await startWithFakeExtensionPoint();
    const client = await providers[0].newClient(
      infisicalStore(),
      world.context,
    );
    expect(
      (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text(),
    ).toBe(CANARY.value);

    await backend.stop();

    expect(world.simulator.requests('revokeToken')).toHaveLength(1);
    expect(world.simulator.activeTokenIds()).toEqual([]);
  });
});
