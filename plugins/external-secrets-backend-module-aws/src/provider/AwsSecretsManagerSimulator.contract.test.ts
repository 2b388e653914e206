import {
  AwsSecretsManagerSimulator,
  startAwsSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { AwsSecretsManagerProvider } from './AwsSecretsManagerProvider';
import {
  createSecret,
  putValue,
  seedClient,
  startMoto,
} from '../__testUtils__/moto';
import {
  awsStore,
  createCapturingLogger,
  credentialSecrets,
  storeContext,
} from '../__testUtils__/awsWorld';

jest.setTimeout(120_000);

/**
 * Everything the module reads, as the provider reports it: the demo and the
 * bench use the simulator, so it must answer as moto does.
 */
async function scenario(endpoint: string) {
  const seed = seedClient(endpoint);
  await createSecret(seed, 'app/db', '{"user":"checkout","port":5432}', {
    team: 'orders',
    env: 'prod',
  });
  await createSecret(seed, 'app/api-key', 'k-1', { team: 'orders' });
  await createSecret(seed, 'other/token', 't-1', { team: 'payments' });
  await createSecret(seed, 'bin/cert', new Uint8Array([0, 1, 254, 255]));
  const first = await createSecret(seed, 'versioned', 'one');
  await putValue(seed, 'versioned', 'two');
  await putValue(seed, 'versioned', 'three', ['BLUE']);
  await createSecret(seed, 'team-a/SMTP', 'smtp-1');
  seed.destroy();

  const provider = new AwsSecretsManagerProvider({
    secretsManagerEndpoint: endpoint,
    batchWindowMs: 5,
  });
  const { logger } = createCapturingLogger();
  const context = storeContext({ logger, secrets: credentialSecrets() });
  const client = await provider.newClient(awsStore(), context);
  const text = (key: string, version?: string) =>
    client
      .getSecret({ key, version })
      .then(s => s.value.text())
      .catch(e => `${e.errorType}${e.provesKeyIsGone ? ' (gone)' : ''}`);
  const [db, apiKey, missing] = await Promise.all([
    text('app/db'),
    text('app/api-key'),
    text('app/missing'),
  ]);
  const result = {
    batch: { db, apiKey, missing },
    versions: {
      current: await text('versioned'),
      previous: await text('versioned', 'AWSPREVIOUS'),
      blue: await text('versioned', 'BLUE'),
      byId: await text('versioned', `uuid/${first}`),
      unknownStage: await text('versioned', 'NOPE'),
    },
    binary: [...(await client.getSecret({ key: 'bin/cert' })).value.bytes()],
    findByRegexp: [
      ...(
        await client.findSecrets({
          name: { regexp: '^app/' },
          decodingStrategy: 'None',
        })
      ).keys(),
    ].sort(),
    findByTags: [
      ...(
        await client.findSecrets({
          tags: { team: 'orders', env: 'prod' },
          decodingStrategy: 'None',
        })
      ).keys(),
    ].sort(),
    findByPath: [
      ...(
        await client.findSecrets({
          path: 'other/',
          name: { regexp: '.' },
          decodingStrategy: 'None',
        })
      ).keys(),
    ],
    keyNames: (await client.listKeyNames!()).keys,
  };
  await client.close();
  const prefixed = await provider.newClient(
    awsStore({ aws: { prefix: 'team-a/' } }),
    context,
  );
  const prefix = {
    value: (await prefixed.getSecret({ key: 'SMTP' })).value.text(),
    names: (await prefixed.listKeyNames!()).keys,
  };
  await prefixed.close();
  return { ...result, prefix };
}

describe('the AWS simulator answers the module as moto does', () => {
  it('gives the same results as moto for every read shape the module uses', async () => {
    const moto = await startMoto();
    let fromMoto;
    try {
      fromMoto = await scenario(moto.endpoint);
    } finally {
      await moto.stop();
    }
    const server = await startAwsSimulatorServer({
      simulator: new AwsSecretsManagerSimulator(),
    });
    let fromSimulator;
    try {
      fromSimulator = await scenario(server.url);
    } finally {
      await server.close();
    }

    expect(fromMoto).toMatchObject({
      batch: {
        db: '{"user":"checkout","port":5432}',
        apiKey: 'k-1',
        missing: 'KEY_NOT_FOUND (gone)',
      },
      versions: {
        current: 'two',
        previous: 'one',
        blue: 'three',
        byId: 'one',
        unknownStage: 'KEY_NOT_FOUND',
      },
      binary: [0, 1, 254, 255],
      findByRegexp: ['app/api-key', 'app/db'],
      findByTags: ['app/db'],
      findByPath: ['other/token'],
      prefix: { value: 'smtp-1', names: ['SMTP'] },
    });
    expect(fromSimulator).toEqual(fromMoto);
  });
});
