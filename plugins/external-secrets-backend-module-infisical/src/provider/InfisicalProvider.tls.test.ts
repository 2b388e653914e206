import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
  simulatorTlsDir,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  CREDENTIALS_NS,
  errorText,
  infisicalStore,
  leakedCanaries,
  providerErrorOf,
  storeContext,
  universalAuthSecrets,
} from '../__testUtils__/testWorld';

const fixture = (name: string) =>
  readFileSync(resolve(simulatorTlsDir(), name), 'utf8');
const CA_PEM = fixture('ca.pem');

/** The real local HTTPS server (self-signed CA), no msw: TLS is verified by undici for real. */
describe('InfisicalProvider over HTTPS with a self-signed CA', () => {
  let world: ReturnType<typeof createTestWorld>;
  let server: InfisicalSimulatorServer;

  beforeEach(async () => {
    world = createTestWorld();
    server = await startInfisicalSimulatorServer({
      simulator: world.simulator,
      tls: { key: fixture('server.key'), cert: fixture('server.pem') },
    });
  });

  afterEach(async () => {
    await world.provider.shutdown();
    await server.close();
  });

  it('should validate the seed-shaped ClusterSecretStore and read MY_SECRET_NAME with the CA from a ConfigMap', async () => {
    const store = infisicalStore({
      hostAPI: `${server.url}/api`,
      caProvider: {
        type: 'ConfigMap',
        name: 'infisical-ca',
        key: 'ca.crt',
        namespace: 'external-secrets',
      },
    });
    const context = storeContext({
      logger: world.logger,
      secrets: universalAuthSecrets(),
      configMaps: { 'external-secrets/infisical-ca/ca.crt': CA_PEM },
      namespace: 'my-namespace',
    });
    const readConfigMapKey = jest.spyOn(context, 'readConfigMapKey');

    expect(world.provider.validateStoreSpec(store)).toEqual([]);
    const validation = await world.provider.validateStore(store, context);
    const client = await world.provider.newClient(store, context);
    const secret = await client.getSecret({ key: 'MY_SECRET_NAME' });

    expect(validation).toEqual({
      ready: true,
      reason: 'Valid',
      message:
        'Authenticated with universal-auth and listed archon-platform-pzxu/prod:/: 1 secret(s) visible',
    });
    expect(readConfigMapKey).toHaveBeenCalledWith({
      name: 'infisical-ca',
      key: 'ca.crt',
      namespace: 'external-secrets',
    });
    expect(secret.value.text()).toBe(CANARY.value);
    expect(world.simulator.requests('universalAuthLogin')).toHaveLength(1);
  });

  it('should trust a caBundle given inline as base64 PEM', async () => {
    const store = infisicalStore({
      hostAPI: server.url,
      caBundle: Buffer.from(CA_PEM).toString('base64'),
    });
    const client = await world.provider.newClient(store, world.context);
    expect(
      (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text(),
    ).toBe(CANARY.value);
  });

  it('should trust a CA held in a Secret through caProvider', async () => {
    const store = infisicalStore({
      hostAPI: server.url,
      caProvider: {
        type: 'Secret',
        name: 'infisical-ca',
        key: 'ca.crt',
        namespace: CREDENTIALS_NS,
      },
    });
    const context = storeContext({
      logger: world.logger,
      secrets: {
        ...universalAuthSecrets(),
        [`${CREDENTIALS_NS}/infisical-ca/ca.crt`]: CA_PEM,
      },
    });
    const client = await world.provider.newClient(store, context);
    expect(
      (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text(),
    ).toBe(CANARY.value);
  });

  it('should fail with a TLS error that says to configure caBundle or caProvider when the CA is not trusted', async () => {
    const store = infisicalStore({ hostAPI: server.url });

    const error = await providerErrorOf(async () =>
      (
        await world.provider.newClient(store, world.context)
      ).getSecret({ key: 'MY_SECRET_NAME' }),
    );
    const validation = await world.provider.validateStore(store, world.context);

    expect(error.errorType).toBe('TLS');
    expect(error.message).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    expect(error.message).toContain(`to ${server.url}`);
    expect(error.details.hint).toContain('caBundle');
    expect(error.details.hint).toContain('caProvider');
    expect(error.details.hint).toContain('never turned off');
    expect(validation).toEqual(
      expect.objectContaining({
        ready: false,
        reason: 'InvalidProviderConfig',
      }),
    );
    expect(validation.message).toContain('caBundle');
    expect(world.simulator.requests()).toEqual([]);
    expect(
      leakedCanaries([errorText(error), validation.message, ...world.lines]),
    ).toEqual([]);
  });

  it('should report a caProvider ConfigMap that cannot be read as a configuration error', async () => {
    const store = infisicalStore({
      hostAPI: server.url,
      caProvider: {
        type: 'ConfigMap',
        name: 'missing-ca',
        key: 'ca.crt',
        namespace: 'external-secrets',
      },
    });
    const validation = await world.provider.validateStore(store, world.context);
    expect(validation.ready).toBe(false);
    expect(validation.message).toContain(
      'cannot read caProvider ConfigMap external-secrets/missing-ca key ca.crt',
    );
  });
});
