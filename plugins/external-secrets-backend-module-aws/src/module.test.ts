import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  externalSecretsProvidersExtensionPoint,
  type SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { externalSecretsModuleAws } from './module';
import { AwsSecretsManagerProvider } from './provider/AwsSecretsManagerProvider';
import {
  AwsSecretsManagerSimulator,
  startAwsSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  awsStore,
  createCapturingLogger,
  credentialSecrets,
  storeContext,
} from './__testUtils__/awsWorld';

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
      externalSecretsModuleAws,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { backend, providers };
}

describe('externalSecretsModuleAws', () => {
  it('registers the aws provider on the extension point', async () => {
    const { backend, providers } = await startWithFakeExtensionPoint();
    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(AwsSecretsManagerProvider);
    expect(providers[0].name).toBe('aws');
    expect(providers[0].capabilities).toMatchObject({
      versions: true,
      find: { path: true, nameRegexp: true, tags: true },
    });
    await backend.stop();
  });

  it('reads through the endpoint set in externalSecrets.providers.aws.endpoints', async () => {
    const simulator = new AwsSecretsManagerSimulator();
    simulator.setSecret('orders/api-key', 'canary-from-config-endpoint');
    const server = await startAwsSimulatorServer({ simulator });
    try {
      const { backend, providers } = await startWithFakeExtensionPoint({
        externalSecrets: {
          providers: {
            aws: {
              endpoints: { secretsManager: server.url },
              batchWindow: '1ms',
            },
          },
        },
      });
      const { logger } = createCapturingLogger();
      const client = await providers[0].newClient(
        awsStore(),
        storeContext({ logger, secrets: credentialSecrets() }),
      );
      const secret = await client.getSecret({ key: 'orders/api-key' });
      await client.close();
      await backend.stop();

      expect(secret.value.text()).toBe('canary-from-config-endpoint');
      expect(providers[0].endpoints!(awsStore())).toEqual([server.url]);
    } finally {
      await server.close();
    }
  });

  it('refuses invalid module config at startup, naming the key', async () => {
    await expect(
      startWithFakeExtensionPoint({
        externalSecrets: { providers: { aws: { requestTimeout: 'soon' } } },
      }),
    ).rejects.toThrow(/requestTimeout/);
  });
});
