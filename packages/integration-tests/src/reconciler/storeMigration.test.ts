import awsModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-aws';
import {
  AwsSecretsManagerSimulator,
  startAwsSimulatorServer,
  type AwsSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';
import {
  CHECKOUT,
  endpointsOf,
  externalSecret,
  NS,
  pluginConfig,
  ReliabilityWorld,
  secretData,
  secretWrites,
  setRemote,
  STATUS_PATH,
  startReliabilityWorld,
  STORE,
} from '../reliability/__testUtils__/reliabilityWorld';
import type { StoredObject } from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';
import { startMotoSecretsManager } from '../__testUtils__/moto';

jest.setTimeout(60_000);

const AWS_STORE = 'aws-secrets-manager';
const PASSWORD = 'canary-db-password-migrated-5150';

/** The AWS ClusterSecretStore beside the Infisical one, keys from app-config credentials. */
function withAwsStore(base: JsonObject, awsUrl: string): JsonObject {
  return {
    ...base,
    stores: [
      ...(base.stores as JsonObject[]),
      {
        kind: 'ClusterSecretStore',
        metadata: { name: AWS_STORE },
        spec: {
          provider: {
            aws: {
              service: 'SecretsManager',
              region: 'eu-west-1',
              auth: {
                secretRef: {
                  accessKeyIDSecretRef: {
                    name: 'aws-credentials',
                    key: 'access-key-id',
                    namespace: 'external-secrets',
                  },
                  secretAccessKeySecretRef: {
                    name: 'aws-credentials',
                    key: 'secret-access-key',
                    namespace: 'external-secrets',
                  },
                },
              },
            },
          },
        },
      },
    ],
    credentials: [
      ...(base.credentials as JsonObject[]),
      {
        name: 'aws-credentials',
        namespace: 'external-secrets',
        data: {
          'access-key-id': 'AKIAMIGRATIONMIGRATI',
          'secret-access-key': 'migration-secret-access-key',
        },
      },
    ],
    providers: {
      ...(base.providers as JsonObject),
      aws: { endpoints: { secretsManager: awsUrl }, batchWindow: '1ms' },
    },
  };
}

/** The AWS Secrets Manager the store reads: the in-process simulator or moto's server. */
type AwsSecretsManager = {
  url: string;
  putSecret(name: string, value: string): Promise<void>;
  deleteSecret(name: string): Promise<void>;
  /** BatchGetSecretValue calls served since the last reset, where the emulator counts them. */
  batchCalls(): number | 'not counted';
  /** Empties it between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
};

async function startSimulator(): Promise<AwsSecretsManager> {
  const simulator = new AwsSecretsManagerSimulator();
  const server: AwsSimulatorServer = await startAwsSimulatorServer({
    simulator,
  });
  const names = new Set<string>();
  const batches = () => simulator.calls().BatchGetSecretValue ?? 0;
  let batchesBefore = 0;
  return {
    url: server.url,
    putSecret: async (name, value) => {
      names.add(name);
      simulator.setSecret(name, value);
    },
    deleteSecret: async name => simulator.deleteSecret(name),
    batchCalls: () => batches() - batchesBefore,
    reset: async () => {
      names.forEach(name => simulator.deleteSecret(name));
      names.clear();
      batchesBefore = batches();
    },
    stop: () => server.close(),
  };
}

async function startMoto(): Promise<AwsSecretsManager> {
  const moto = await startMotoSecretsManager('eu-west-1');
  return {
    url: moto.endpoint,
    ...moto,
    batchCalls: () => 'not counted' as const,
  };
}

/**
 * The architecture note's future scope: "If a second secrets backend is
 * added, add a second ClusterSecretStore without changing workload
 * manifests". The values were copied to AWS Secrets Manager under the same
 * names; the ExternalSecret changes only `secretStoreRef`. Run against the
 * simulator (which counts the batched reads) and against moto's server.
 */
describe.each([
  ['the AWS simulator', startSimulator],
  ["moto's server", startMoto],
])(
  'moving an ExternalSecret from the Infisical store to the AWS store (%s)',
  (_label, startAws) => {
    let world: ReliabilityWorld;
    let aws: AwsSecretsManager;
    let backend: IntegrationBackend | undefined;

    beforeAll(async () => {
      aws = await startAws();
    }, 600_000);

    afterAll(async () => {
      await aws?.stop();
    });

    beforeEach(async () => {
      world = await startReliabilityWorld();
      setRemote(world, 'DB_USER', 'orders');
      setRemote(world, 'DB_PASSWORD', PASSWORD);
      await aws.reset();
      await aws.putSecret('DB_USER', 'orders');
      await aws.putSecret('DB_PASSWORD', PASSWORD);
      world.kubernetes.seed(externalSecret('db', ['DB_USER', 'DB_PASSWORD']));
      backend = await startIntegrationBackend({
        sim: world.kubernetes,
        entities: [CHECKOUT],
        config: withAwsStore(pluginConfig(endpointsOf(world)), aws.url),
        extraFeatures: [infisicalModule, awsModule],
      });
    });

    afterEach(async () => {
      await backend?.stop();
      await world.stop();
    });

    function repoint(storeName: string) {
      const current = world.kubernetes.get({
        kind: 'ExternalSecret',
        namespace: NS,
        name: 'db',
      }) as StoredObject & { spec: JsonObject };
      world.kubernetes.seed({
        ...current,
        metadata: {
          ...current.metadata,
          generation: Number(current.metadata.generation ?? 1) + 1,
        },
        spec: {
          ...current.spec,
          secretStoreRef: { kind: 'ClusterSecretStore', name: storeName },
        },
      });
    }

    it('keeps the Secret’s keys and values without a delete, an emptying or any rewrite, and reports the new source', async () => {
      await backend!.runCycle();
      const before = world.kubernetes.get({
        kind: 'Secret',
        namespace: NS,
        name: 'db',
      }) as { metadata: { resourceVersion: string } };
      expect(secretData(world.kubernetes, 'db')).toEqual({
        db_user: 'orders',
        db_password: PASSWORD,
      });
      world.kubernetes.clearRequests();

      repoint(AWS_STORE);
      await backend!.runCycle();

      // The data-hash is unchanged: nothing is written, so no pod sees a change.
      expect(secretWrites(world.kubernetes, 'db')).toEqual([]);
      const after = world.kubernetes.get({
        kind: 'Secret',
        namespace: NS,
        name: 'db',
      }) as { metadata: { resourceVersion: string } };
      expect(after.metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
      expect(secretData(world.kubernetes, 'db')).toEqual({
        db_user: 'orders',
        db_password: PASSWORD,
      });
      // Read from AWS, batched: one call for both keys (moto counts nothing).
      expect([1, 'not counted']).toContain(aws.batchCalls());

      const res = await request(backend!.server).get(STATUS_PATH);
      expect(res.status).toBe(200);
      const [status] = res.body.externalSecrets;
      expect(status).toMatchObject({
        name: 'db',
        state: 'Synced',
        store: { kind: 'ClusterSecretStore', name: AWS_STORE },
      });
      expect(
        status.keys.map((k: { store?: { name: string } }) => k.store?.name),
      ).toEqual([AWS_STORE, AWS_STORE]);
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
      const stores = await request(backend!.server).get(
        '/api/external-secrets/stores',
      );
      expect(
        stores.body.stores.map((s: { name: string; provider?: string }) => [
          s.name,
          s.provider,
        ]),
      ).toEqual(
        expect.arrayContaining([
          [STORE, 'infisical'],
          [AWS_STORE, 'aws'],
        ]),
      );
    });

    it('gives the scaffolder picker the key names of both stores and checks AWS keys, never a value', async () => {
      await backend!.runCycle();
      const keysOf = (store: string) =>
        request(backend!.server).get(
          `/api/external-secrets/stores/-/ClusterSecretStore/-/${store}/keys`,
        );

      const awsKeys = await keysOf(AWS_STORE);
      const infisicalKeys = await keysOf(STORE);
      const check = await request(backend!.server)
        .post(
          `/api/external-secrets/stores/-/ClusterSecretStore/-/${AWS_STORE}/keys/check`,
        )
        .send({ keys: ['DB_PASSWORD', 'DB_PASSWORD_TYPO'] });

      expect(awsKeys.status).toBe(200);
      expect(awsKeys.body).toMatchObject({
        keys: ['DB_PASSWORD', 'DB_USER'],
        complete: true,
      });
      expect(infisicalKeys.status).toBe(200);
      expect(infisicalKeys.body.keys).toEqual(
        expect.arrayContaining(['DB_PASSWORD', 'DB_USER']),
      );
      expect(check.status).toBe(200);
      expect(
        check.body.results.map(
          (r: { key: string; readable: boolean; suggestions: string[] }) => [
            r.key,
            r.readable,
            r.suggestions[0],
          ],
        ),
      ).toEqual([
        ['DB_PASSWORD', true, undefined],
        ['DB_PASSWORD_TYPO', false, 'DB_PASSWORD'],
      ]);
      expect(
        JSON.stringify([awsKeys.body, infisicalKeys.body, check.body]),
      ).not.toContain(PASSWORD);
    });

    it('leaves the Secret as it was when the AWS store cannot serve a key yet (copied only in part)', async () => {
      await backend!.runCycle();
      await aws.deleteSecret('DB_PASSWORD');
      world.kubernetes.clearRequests();

      repoint(AWS_STORE);
      await backend!.runCycle();

      expect(secretData(world.kubernetes, 'db')).toEqual({
        db_user: 'orders',
        db_password: PASSWORD,
      });
      expect(
        secretWrites(world.kubernetes, 'db').filter(w => w.verb === 'delete'),
      ).toEqual([]);
      const res = await request(backend!.server).get(STATUS_PATH);
      const [status] = res.body.externalSecrets;
      expect(status.state).toBe('Error');
      expect(status.message).toContain('DB_PASSWORD');
    });
  },
);
