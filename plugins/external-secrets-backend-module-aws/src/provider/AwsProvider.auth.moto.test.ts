import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AwsSecretsManagerProvider } from './AwsSecretsManagerProvider';
import {
  createSecret,
  REGION,
  seedClient,
  startMoto,
  type Moto,
} from '../__testUtils__/moto';
import {
  awsStore,
  createCapturingLogger,
  credentialSecrets,
  secretRefAuth,
  storeContext,
} from '../__testUtils__/awsWorld';

jest.setTimeout(120_000);

const ACCOUNT = '123456789012';
const VALUE = 'canary-orders-db-password-3307';

type Keys = { accessKeyId: string; secretAccessKey: string };

/**
 * Credentials, access denial and role assumption against moto with IAM
 * enforced (INITIAL_NO_AUTH_ACTION_COUNT=3: the first three calls create an
 * admin user, every later call is checked against IAM policies).
 */
describe('AwsSecretsManagerProvider credentials and access against moto with IAM enforced', () => {
  let moto: Moto;
  const users: Record<string, Keys> = {};
  const { logger, lines } = createCapturingLogger();

  const policy = (actions: string[]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
    });

  async function createUser(iam: IAMClient, name: string, actions: string[]) {
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: name,
        PolicyName: 'p',
        PolicyDocument: policy(actions),
      }),
    );
    const { AccessKey } = await iam.send(
      new CreateAccessKeyCommand({ UserName: name }),
    );
    users[name] = {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
    };
  }

  beforeAll(async () => {
    moto = await startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: '3' });
    const iamClient = (credentials: Keys) =>
      new IAMClient({ region: REGION, endpoint: moto.endpoint, credentials });
    await createUser(
      iamClient({ accessKeyId: 'AKIABOOTSTRAPBOOTSTR', secretAccessKey: 'x' }),
      'admin',
      ['*'],
    );
    const iam = iamClient(users.admin);
    await createUser(iam, 'reader', [
      'secretsmanager:BatchGetSecretValue',
      'secretsmanager:GetSecretValue',
      'secretsmanager:ListSecrets',
    ]);
    // ESO's usual IAM policy: GetSecretValue only.
    await createUser(iam, 'getonly', ['secretsmanager:GetSecretValue']);
    await createUser(iam, 'nothing', ['sts:AssumeRole']);
    await createUser(iam, 'stranger', ['sts:AssumeRole']);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'orders-reader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nothing` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'orders-reader',
        PolicyName: 'p',
        PolicyDocument: policy(['secretsmanager:*']),
      }),
    );
    // A role chain: `nothing` → hop → orders-chained (trust limited to hop's
    // session and an external id). moto matches the trust principal against
    // the assumed-role session ARN (AWS also accepts the role ARN).
    const trust = (principal: string, condition?: object) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: principal },
            Action: 'sts:AssumeRole',
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'hop',
        AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:user/nothing`),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'hop',
        PolicyName: 'p',
        PolicyDocument: policy(['sts:AssumeRole']),
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'orders-chained',
        AssumeRolePolicyDocument: trust(
          `arn:aws:sts::${ACCOUNT}:assumed-role/hop/backstage-external-secrets`,
          { StringEquals: { 'sts:ExternalId': 'orders-external-id' } },
        ),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'orders-chained',
        PolicyName: 'p',
        PolicyDocument: policy(['secretsmanager:*']),
      }),
    );
    const seed = seedClient(moto.endpoint, users.admin);
    await createSecret(seed, 'orders/db-password', VALUE);
    seed.destroy();
    iam.destroy();
  });

  afterAll(async () => {
    await moto?.stop();
  });

  const newProvider = () =>
    new AwsSecretsManagerProvider({
      secretsManagerEndpoint: moto.endpoint,
      stsEndpoint: moto.endpoint,
      batchWindowMs: 5,
    });
  const contextFor = (user: string) =>
    storeContext({ logger, secrets: credentialSecrets(users[user]) });
  const calls = (provider: AwsSecretsManagerProvider) =>
    Object.fromEntries(
      provider.apiCallCounts().map(c => [`${c.call}/${c.status}`, c.count]),
    );

  it('reads with access keys taken from the Kubernetes Secret named by auth.secretRef', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), contextFor('reader'));
    const secret = await client.getSecret({ key: 'orders/db-password' });
    await client.close();

    expect(secret.value.text()).toBe(VALUE);
  });

  it('marks a store whose identity may not read as not ready, PERMISSION_DENIED naming the action, with no value in the message', async () => {
    const provider = newProvider();
    const validation = await provider.validateStore(
      awsStore(),
      contextFor('nothing'),
    );
    const client = await provider.newClient(awsStore(), contextFor('nothing'));
    const error = await client
      .getSecret({ key: 'orders/db-password' })
      .catch(e => e);
    await client.close();

    expect(validation).toMatchObject({
      ready: false,
      reason: 'InvalidProviderConfig',
    });
    expect(validation.message).toMatch(
      /AccessDenied.*not authorized to perform: secretsmanager:ListSecrets/,
    );
    expect(error.errorType).toBe('PERMISSION_DENIED');
    expect(error.provesKeyIsGone).toBe(false);
    expect(error.details).toMatchObject({
      key: 'orders/db-password',
      httpStatus: 403,
    });
    // AWS's own refusal text (before the hint), with its error code.
    expect(error.message).toMatch(
      /AccessDenied.*not authorized to perform: secretsmanager:(Batch)?GetSecretValue.*\. Grant/,
    );
    expect(error.message).not.toContain(VALUE);
  });

  it('answers unknown access keys with AUTH_FAILED, never echoing the secret key', async () => {
    const provider = newProvider();
    const bogus = {
      accessKeyId: 'AKIAUNKNOWNUNKNOWNUN',
      secretAccessKey: 'canary-bogus-secret-key-0042',
    };
    const client = await provider.newClient(
      awsStore(),
      storeContext({ logger, secrets: credentialSecrets(bogus) }),
    );
    const error = await client
      .getSecret({ key: 'orders/db-password' })
      .catch(e => e);
    await client.close();

    expect(error.errorType).toBe('AUTH_FAILED');
    expect(error.message).not.toContain(bogus.secretAccessKey);
  });

  it('falls back to one GetSecretValue per key for an identity denied BatchGetSecretValue (ESO-style IAM policies), and remembers it', async () => {
    const provider = newProvider();
    const read = async () => {
      const client = await provider.newClient(
        awsStore(),
        contextFor('getonly'),
      );
      const secret = await client.getSecret({ key: 'orders/db-password' });
      await client.close();
      return secret.value.text();
    };

    expect(await read()).toBe(VALUE);
    expect(await read()).toBe(VALUE);
    expect(calls(provider)).toEqual({
      'BatchGetSecretValue/error': 1,
      'GetSecretValue/success': 2,
    });
  });

  it('assumes spec.provider.aws.role with the store’s keys and caches the session across cycles', async () => {
    const provider = newProvider();
    const store = awsStore({
      aws: { role: `arn:aws:iam::${ACCOUNT}:role/orders-reader` },
    });
    const values: string[] = [];
    for (let cycle = 0; cycle < 2; cycle++) {
      const client = await provider.newClient(store, contextFor('nothing'));
      values.push(
        (await client.getSecret({ key: 'orders/db-password' })).value.text(),
      );
      await client.close();
    }

    expect(values).toEqual([VALUE, VALUE]);
    expect(calls(provider)).toMatchObject({
      'AssumeRole/success': 1,
      'BatchGetSecretValue/success': 2,
    });
  });

  it('refuses a role whose trust policy does not name the identity, as PERMISSION_DENIED on AssumeRole', async () => {
    const provider = newProvider();
    const store = awsStore({
      aws: { role: `arn:aws:iam::${ACCOUNT}:role/orders-reader` },
    });
    const error = await provider
      .newClient(store, contextFor('stranger'))
      .catch(e => e);

    expect(error.errorType).toBe('PERMISSION_DENIED');
    expect(error.details.call).toBe('AssumeRole');
    expect(error.message).toContain('orders-reader');
  });

  it('assumes additionalRoles first and then role, passing externalID on the last hop (ESO’s chain; moto checks a wrong external id, not a missing one)', async () => {
    const provider = newProvider();
    const chained = (externalID?: string) =>
      awsStore({
        aws: {
          additionalRoles: [`arn:aws:iam::${ACCOUNT}:role/hop`],
          role: `arn:aws:iam::${ACCOUNT}:role/orders-chained`,
          ...(externalID ? { externalID } : {}),
        },
      });
    const client = await provider.newClient(
      chained('orders-external-id'),
      contextFor('nothing'),
    );
    const secret = await client.getSecret({ key: 'orders/db-password' });
    await client.close();
    const wrongId = await provider
      .newClient(chained('another-external-id'), contextFor('nothing'))
      .catch(e => e);

    expect(secret.value.text()).toBe(VALUE);
    expect(wrongId.errorType).toBe('PERMISSION_DENIED');
    expect(wrongId.message).toContain('orders-chained');
  });

  it('reads a namespaced SecretStore’s keys in its own namespace when the selector names none', async () => {
    const provider = newProvider();
    const store = awsStore({
      kind: 'SecretStore',
      namespace: 'team-a',
      aws: { auth: secretRefAuth(null) },
    });
    const client = await provider.newClient(
      store,
      storeContext({
        logger,
        namespace: 'team-a',
        storeScope: 'namespaced',
        secrets: credentialSecrets(users.reader, 'team-a'),
      }),
    );
    const secret = await client.getSecret({ key: 'orders/db-password' });
    await client.close();

    expect(secret.value.text()).toBe(VALUE);
  });

  it('never writes a value or a secret access key into a log line', () => {
    const text = lines.join('\n');
    expect(text).not.toContain(VALUE);
    for (const keys of Object.values(users))
      expect(text).not.toContain(keys.secretAccessKey);
  });
});
