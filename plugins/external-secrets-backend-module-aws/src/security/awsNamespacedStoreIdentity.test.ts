import { AwsSecretsManagerProvider } from '../provider/AwsSecretsManagerProvider';
import {
  AwsSecretsManagerSimulator,
  startAwsSimulatorServer,
  type AwsSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  awsStore,
  createCapturingLogger,
  storeContext,
} from '../__testUtils__/awsWorld';

/**
 * Trust model (docs/security/trust-model.md): a namespaced SecretStore gets
 * nothing its namespace does not already hold. For AWS that is the backend's
 * own identity (environment keys, instance or pod role: the SDK's default
 * chain): only admin stores (app-config, ClusterSecretStores) may read with
 * it, and a store picks its region, never the host.
 */
describe('AWS stores a tenant controls', () => {
  let simulator: AwsSecretsManagerSimulator;
  let server: AwsSimulatorServer;
  const { logger } = createCapturingLogger();

  beforeEach(async () => {
    simulator = new AwsSecretsManagerSimulator();
    simulator.setSecret('platform/root-token', 'canary-platform-token');
    server = await startAwsSimulatorServer({ simulator });
    process.env.AWS_ACCESS_KEY_ID = 'AKIABACKENDBACKENDBA';
    process.env.AWS_SECRET_ACCESS_KEY = 'backend-own-secret-key';
  });

  afterEach(async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    await server.close();
  });

  const provider = () =>
    new AwsSecretsManagerProvider({
      secretsManagerEndpoint: server.url,
      stsEndpoint: server.url,
    });
  const tenantStore = (aws: Record<string, unknown>) =>
    awsStore({ kind: 'SecretStore', namespace: 'team-a', aws });
  const tenantContext = () =>
    storeContext({ logger, namespace: 'team-a', storeScope: 'namespaced' });

  it('refuses a namespaced SecretStore without auth.secretRef before any AWS call (no backend identity)', async () => {
    const error = await provider()
      .newClient(tenantStore({ auth: undefined }), tenantContext())
      .catch(e => e);

    expect(error.errorType).toBe('INVALID_CONFIG');
    expect(error.message).toContain('auth.secretRef');
    expect(simulator.calls()).toEqual({});
  });

  it('refuses a namespaced SecretStore that would assume a role with the backend identity', async () => {
    const result = await provider().validateStore(
      tenantStore({
        auth: undefined,
        role: 'arn:aws:iam::123456789012:role/platform-admin',
      }),
      tenantContext(),
    );

    expect(result.ready).toBe(false);
    expect(result.message).toContain('auth.secretRef');
    expect(simulator.calls()).toEqual({});
  });

  it('lets an admin store read with the backend identity', async () => {
    const client = await provider().newClient(
      awsStore({ aws: { auth: undefined } }),
      storeContext({ logger, storeScope: 'admin' }),
    );
    const secret = await client.getSecret({ key: 'platform/root-token' });
    await client.close();

    expect(secret.value.text()).toBe('canary-platform-token');
  });

  it('derives the host from a region that must look like one, so a store cannot point the backend elsewhere', () => {
    const p = new AwsSecretsManagerProvider();
    const issues = p.validateStoreSpec(
      tenantStore({ region: 'x.internal.example/' }),
    );

    expect(issues.map(i => i.path)).toContain('spec.provider.aws.region');
    expect(p.endpoints(tenantStore({ region: 'eu-west-1' }))).toEqual([
      'https://secretsmanager.eu-west-1.amazonaws.com',
    ]);
  });

  it('names the STS host too when the store assumes a role, so the host allow-list covers every host it contacts', () => {
    const p = new AwsSecretsManagerProvider();
    const withRole = tenantStore({
      region: 'eu-west-1',
      role: 'arn:aws:iam::123456789012:role/reader',
    });
    const overridden = new AwsSecretsManagerProvider({
      secretsManagerEndpoint: 'https://sm.vpce.example',
      stsEndpoint: 'https://sts.vpce.example',
    });

    expect(p.endpoints(withRole)).toEqual([
      'https://secretsmanager.eu-west-1.amazonaws.com',
      'https://sts.eu-west-1.amazonaws.com',
    ]);
    expect(overridden.endpoints(withRole)).toEqual([
      'https://sm.vpce.example',
      'https://sts.vpce.example',
    ]);
  });
});
