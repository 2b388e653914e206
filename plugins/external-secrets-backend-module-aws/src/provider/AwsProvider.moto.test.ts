import { isProviderError } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { AwsSecretsManagerProvider } from './AwsSecretsManagerProvider';
import {
  createSecret,
  putValue,
  seedClient,
  startMoto,
  type Moto,
} from '../__testUtils__/moto';
import {
  awsStore,
  createCapturingLogger,
  credentialSecrets,
  storeContext,
} from '../__testUtils__/awsWorld';
import {
  esManifest,
  reconcileThrough,
} from '../__testUtils__/reconcileThrough';
import { startThrottlingProxy } from '../__testUtils__/throttlingProxy';

jest.setTimeout(120_000);

/** Canary values: none may appear in an error message or a log line. */
const CANARY = {
  db: '{"user":"checkout","password":"canary-db-password-7731","port":5432}',
  apiKey: 'canary-api-key-5521',
  other: 'canary-other-token-9902',
  smtp: 'canary-smtp-4410',
};

/**
 * The provider against moto's server (scripts/moto.sh starts it; it installs
 * moto on first use). Shapes follow ESO's
 * providers/v1/aws/secretsmanager/secretsmanager.go (fetch, GetAllSecrets,
 * constructSecretValue).
 */
describe('AwsSecretsManagerProvider against moto', () => {
  let moto: Moto;
  let versions: { v1: string; v2: string; blue: string };
  const { logger, lines } = createCapturingLogger();

  beforeAll(async () => {
    moto = await startMoto();
    const seed = seedClient(moto.endpoint);
    await createSecret(seed, 'app/db', CANARY.db, {
      team: 'orders',
      env: 'prod',
    });
    await createSecret(seed, 'app/api-key', CANARY.apiKey, {
      team: 'orders',
      env: 'dev',
    });
    await createSecret(seed, 'other/token', CANARY.other, {
      team: 'payments',
      env: 'prod',
    });
    // tag-key "team" on one tag, tag-value "prod" on ANOTHER: AWS's filters match it.
    await createSecret(seed, 'app/mixed', 'mixed', {
      team: 'x',
      owner: 'prod',
    });
    await createSecret(seed, 'bin/cert', new Uint8Array([0, 1, 2, 254, 255]));
    await createSecret(seed, 'team-a/SMTP_PASSWORD', CANARY.smtp);
    const v1 = await createSecret(seed, 'versioned', 'one');
    const v2 = await putValue(seed, 'versioned', 'two');
    const blue = await putValue(seed, 'versioned', 'three', ['BLUE']);
    versions = { v1, v2, blue };
    for (let i = 0; i < 25; i++) {
      await createSecret(seed, `bulk/k${String(i).padStart(2, '0')}`, `v${i}`);
    }
    seed.destroy();
  });

  afterAll(async () => {
    await moto?.stop();
  });

  const newProvider = () =>
    new AwsSecretsManagerProvider({
      secretsManagerEndpoint: moto.endpoint,
      stsEndpoint: moto.endpoint,
      batchWindowMs: 20,
    });
  const context = () =>
    storeContext({
      logger,
      secrets: credentialSecrets(),
      namespace: 'my-namespace',
    });
  const calls = (provider: AwsSecretsManagerProvider) =>
    Object.fromEntries(
      provider.apiCallCounts().map(c => [`${c.call}/${c.status}`, c.count]),
    );

  it('reads the data keys of one store in one cycle with one BatchGetSecretValue, each name once', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const result = await reconcileThrough(
      client,
      esManifest('aws-secrets-manager', {
        data: [
          { secretKey: 'api-key', remoteRef: { key: 'app/api-key' } },
          { secretKey: 'db', remoteRef: { key: 'app/db' } },
          { secretKey: 'token', remoteRef: { key: 'other/token' } },
          { secretKey: 'api-key-again', remoteRef: { key: 'app/api-key' } },
        ],
      }),
    );
    await client.close();

    expect(result.condition).toMatchObject({
      status: 'True',
      reason: 'SecretSynced',
    });
    expect(result.desired!.data['api-key'].text()).toBe(CANARY.apiKey);
    expect(result.desired!.data['api-key-again'].text()).toBe(CANARY.apiKey);
    expect(result.desired!.data.token.text()).toBe(CANARY.other);
    expect(calls(provider)).toEqual({ 'BatchGetSecretValue/success': 1 });
  });

  it('splits more than 20 keys into BatchGetSecretValue calls of at most 20 (AWS’s limit)', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const keys = Array.from(
      { length: 25 },
      (_, i) => `bulk/k${String(i).padStart(2, '0')}`,
    );
    const values = await Promise.all(
      keys.map(key => client.getSecret({ key })),
    );
    await client.close();

    expect(values.map(v => v.value.text())).toEqual(
      keys.map((_, i) => `v${i}`),
    );
    expect(calls(provider)).toEqual({ 'BatchGetSecretValue/success': 2 });
  });

  it('applies remoteRef.property to a JSON value, serializing a number leaf, and names a missing property', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const result = await reconcileThrough(
      client,
      esManifest('aws-secrets-manager', {
        data: [
          {
            secretKey: 'password',
            remoteRef: { key: 'app/db', property: 'password' },
          },
          { secretKey: 'port', remoteRef: { key: 'app/db', property: 'port' } },
        ],
      }),
    );
    const missing = await reconcileThrough(
      client,
      esManifest('aws-secrets-manager', {
        data: [
          { secretKey: 'x', remoteRef: { key: 'app/db', property: 'nope' } },
        ],
      }),
    );
    await client.close();

    expect(result.desired!.data.password.text()).toBe(
      'canary-db-password-7731',
    );
    expect(result.desired!.data.port.text()).toBe('5432');
    expect(missing.condition.status).toBe('False');
    expect(missing.condition.message).toContain('nope');
    expect(missing.condition.message).not.toContain('canary-db-password');
  });

  it('honours remoteRef.version: a stage name (AWSPREVIOUS, custom) or uuid/<VersionId>', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const read = (version?: string) =>
      client.getSecret({ key: 'versioned', version }).then(s => s.value.text());

    expect(await read()).toBe('two');
    expect(await read('AWSCURRENT')).toBe('two');
    expect(await read('AWSPREVIOUS')).toBe('one');
    expect(await read('BLUE')).toBe('three');
    expect(await read(`uuid/${versions.v1}`)).toBe('one');
    expect((await client.getSecret({ key: 'versioned' })).version).toBe(
      versions.v2,
    );
    const missingVersion = await client
      .getSecret({
        key: 'versioned',
        version: 'uuid/00000000-0000-0000-0000-00000000dead',
      })
      .catch(e => e);
    await client.close();

    expect(isProviderError(missingVersion)).toBe(true);
    // A missing VERSION is not evidence that the secret is gone.
    expect(missingVersion.provesKeyIsGone).toBe(false);
    expect(versions.blue).toBeTruthy();
  });

  it('returns a binary secret byte for byte', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const secret = await client.getSecret({ key: 'bin/cert' });
    await client.close();

    expect([...secret.value.bytes()]).toEqual([0, 1, 2, 254, 255]);
  });

  it('reports a missing secret as KEY_NOT_FOUND with evidence only for that exact name, and still syncs nothing else into doubt', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const [missing, present] = await Promise.all([
      client.getSecret({ key: 'app/does-not-exist' }).catch(e => e),
      client.getSecret({ key: 'app/api-key' }),
    ]);
    await client.close();

    expect(present.value.text()).toBe(CANARY.apiKey);
    expect(missing.errorType).toBe('KEY_NOT_FOUND');
    expect(missing.provesKeyIsGone).toBe(true);
    expect(missing.details).toMatchObject({
      provider: 'aws',
      store: 'ClusterSecretStore/aws-secrets-manager',
      key: 'app/does-not-exist',
      call: 'BatchGetSecretValue',
    });
    expect(missing.message).toContain('ResourceNotFoundException');
    expect(missing.message).toContain('app/does-not-exist');
    // The batch call's AWS request id, to find the call in CloudTrail.
    expect(missing.details.requestId).toMatch(/\S/);
    expect(missing.message).toContain(
      `request id ${missing.details.requestId}`,
    );
  });

  it('finds by name regexp through ListSecrets, keyed by secret name', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const found = await client.findSecrets({
      name: { regexp: '^app/(db|api-key)$' },
      decodingStrategy: 'None',
    });
    await client.close();

    expect([...found.keys()].sort()).toEqual(['app/api-key', 'app/db']);
    expect(found.get('app/api-key')!.value.text()).toBe(CANARY.apiKey);
    expect(calls(provider)).toEqual({
      'ListSecrets/success': 1,
      'BatchGetSecretValue/success': 1,
    });
  });

  it('finds by tags, keeping only secrets that carry each key=value pair (AWS filters match keys and values separately)', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const byTeam = await client.findSecrets({
      tags: { team: 'orders' },
      decodingStrategy: 'None',
    });
    const prodOrders = await client.findSecrets({
      tags: { team: 'orders', env: 'prod' },
      decodingStrategy: 'None',
    });
    const teamProd = await client.findSecrets({
      tags: { team: 'x', env: 'prod' },
      decodingStrategy: 'None',
    });
    await client.close();

    expect([...byTeam.keys()].sort()).toEqual(['app/api-key', 'app/db']);
    expect([...prodOrders.keys()]).toEqual(['app/db']);
    expect([...teamProd.keys()]).toEqual([]);
  });

  it('finds by path (a name prefix) combined with a regexp', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const found = await client.findSecrets({
      path: 'app/',
      name: { regexp: 'api' },
      decodingStrategy: 'None',
    });
    await client.close();

    expect([...found.keys()]).toEqual(['app/api-key']);
  });

  it('refuses a find with neither name nor tags (ESO: unexpected find operator)', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const error = await client
      .findSecrets({ decodingStrategy: 'None' })
      .catch(e => e);
    await client.close();

    expect(error.errorType).toBe('INVALID_REQUEST');
    expect(calls(provider)).toEqual({});
  });

  it('prepends the store prefix to every key, and lists key names under it with the prefix removed', async () => {
    const provider = newProvider();
    const store = awsStore({ aws: { prefix: 'team-a/' } });
    const client = await provider.newClient(store, context());
    const secret = await client.getSecret({ key: 'SMTP_PASSWORD' });
    const { keys: names, complete } = await client.listKeyNames!();
    await client.close();

    expect(secret.value.text()).toBe(CANARY.smtp);
    expect(names).toEqual(['SMTP_PASSWORD']);
    expect(complete).toBe(true);
  });

  it('lists key names for the picker with ListSecrets only: names, never a value', async () => {
    const provider = newProvider();
    const client = await provider.newClient(awsStore(), context());
    const { keys: names, complete } = await client.listKeyNames!();
    await client.close();

    expect(names).toEqual(
      expect.arrayContaining(['app/db', 'bin/cert', 'versioned']),
    );
    expect(complete).toBe(true);
    expect(calls(provider)).toEqual({ 'ListSecrets/success': 1 });
  });

  it('validates a store: Ready with the count of visible secrets', async () => {
    const provider = newProvider();
    const result = await provider.validateStore(awsStore(), context());

    expect(result).toMatchObject({ ready: true, reason: 'Valid' });
    expect(result.message).toMatch(/eu-west-1: \d+ secret\(s\) visible/);
  });

  it('retries a throttled batch with the SDK’s backoff and then reads', async () => {
    const proxy = await startThrottlingProxy(moto.endpoint);
    try {
      const provider = new AwsSecretsManagerProvider({
        secretsManagerEndpoint: proxy.url,
        batchWindowMs: 5,
      });
      proxy.state.throttle = 1;
      const client = await provider.newClient(awsStore(), context());
      const secret = await client.getSecret({ key: 'app/api-key' });
      await client.close();

      expect(secret.value.text()).toBe(CANARY.apiKey);
      expect(calls(provider)).toEqual({
        'BatchGetSecretValue/error': 1,
        'BatchGetSecretValue/success': 1,
      });
    } finally {
      await proxy.close();
    }
  });

  it('reports throttling that outlasts the retries as RATE_LIMITED with the request id, never as a missing key', async () => {
    const proxy = await startThrottlingProxy(moto.endpoint);
    try {
      const provider = new AwsSecretsManagerProvider({
        secretsManagerEndpoint: proxy.url,
        batchWindowMs: 5,
        maxAttempts: 2,
      });
      proxy.state.throttle = 100;
      const client = await provider.newClient(awsStore(), context());
      const error = await client
        .getSecret({ key: 'app/api-key' })
        .catch(e => e);
      await client.close();

      expect(error.errorType).toBe('RATE_LIMITED');
      expect(error.isTransient).toBe(true);
      expect(error.provesKeyIsGone).toBe(false);
      expect(error.details).toMatchObject({
        key: 'app/api-key',
        httpStatus: 400,
        requestId: 'throttled-2',
      });
      expect(error.message).toContain('ThrottlingException');
      expect(proxy.state.throttled).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('never writes a value into a log line or an error message', () => {
    const text = lines.join('\n');
    for (const value of Object.values(CANARY))
      expect(text).not.toContain(value);
    expect(text).not.toContain('test-secret-access-key');
  });
});
