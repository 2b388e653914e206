/**
 * `yarn bench`'s AWS Secrets Manager step: the real reconciler with the AWS
 * module against the in-process AWS simulator (whose answers follow moto's),
 * counting the AWS requests one refresh of N ExternalSecrets costs, beside
 * ESO's pattern for the same workload. Counts, not times, are the point: the
 * simulator runs in this process, so its wall time is only indicative.
 */
import awsModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-aws';
import {
  AwsSecretsManagerSimulator,
  startAwsSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { startKubernetesSimulator } from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';
import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';
import { startBenchBackend } from '../runner/startBenchBackend';
import {
  catalogEntity,
  CREDENTIALS_NAMESPACE,
  externalSecret,
  keysOf,
  remoteKey,
  type Workload,
} from '../workload';

/** What one AWS refresh cost. */
export type AwsRefreshResult = {
  entities: number;
  stores: number;
  keysPerEntity: number;
  mappings: number;
  /** Requests the simulator served during the refresh, by AWS operation. */
  requests: Record<string, number>;
  total: number;
  /** ESO's aws provider: one GetSecretValue per data key per ExternalSecret refresh. */
  esoGetSecretValue: number;
  wallTimeMs: number;
  ok?: number;
  failing?: number;
};

const storeName = (s: number) => `bench-aws-${String(s).padStart(2, '0')}`;
const prefixOf = (s: number) => `scope-${String(s).padStart(2, '0')}/`;

/**
 * ESO's pattern for the same refresh (providers/v1/aws/secretsmanager,
 * SecretsManager.fetch): a new client per ExternalSecret reconcile, its cache
 * lives as long as that client, so every distinct data key of every
 * ExternalSecret is one GetSecretValue.
 */
export function esoAwsRefreshCalls(w: Workload): number {
  let calls = 0;
  for (let i = 0; i < w.entities; i++) calls += new Set(keysOf(i, w)).size;
  return calls;
}

/** The stores (one per scope, own access keys and prefix) in app-config form. */
function awsStoresConfig(w: Workload) {
  const stores = Array.from({ length: w.scopes }, (_, s) => s);
  return {
    stores: stores.map(s => ({
      kind: 'ClusterSecretStore',
      metadata: { name: storeName(s) },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: 'eu-west-1',
            prefix: prefixOf(s),
            auth: {
              secretRef: {
                accessKeyIDSecretRef: {
                  name: `aws-${s}`,
                  key: 'id',
                  namespace: CREDENTIALS_NAMESPACE,
                },
                secretAccessKeySecretRef: {
                  name: `aws-${s}`,
                  key: 'secret',
                  namespace: CREDENTIALS_NAMESPACE,
                },
              },
            },
          },
        },
      },
    })),
    credentials: stores.map(s => ({
      name: `aws-${s}`,
      namespace: CREDENTIALS_NAMESPACE,
      // Not secrets: simulator credentials generated for the benchmark.
      data: {
        id: `AKIABENCH${String(s).padStart(11, '0')}`,
        secret: `bench-${s}`,
      },
    })),
  };
}

export async function runAwsRefresh(w: Workload): Promise<AwsRefreshResult> {
  const aws = new AwsSecretsManagerSimulator();
  for (let s = 0; s < w.scopes; s++) {
    for (let k = 0; k < w.secretsPerScope; k++) {
      aws.setSecret(
        `${prefixOf(s)}${remoteKey(k)}`,
        randomBytes(24).toString('base64url'),
      );
    }
  }
  const awsServer = await startAwsSimulatorServer({
    simulator: aws,
    latencyMs: w.latencyMs,
  });
  const kubernetes = await startKubernetesSimulator();
  for (let i = 0; i < w.entities; i++) {
    const es = externalSecret(i, w);
    es.spec.secretStoreRef.name = storeName(i % w.scopes);
    kubernetes.seed(es);
  }
  // Our own database, destroyed below: the test backend's default one keeps a
  // pool timer alive, and this step runs in the bench's main process, which
  // then did not exit for minutes after writing its results.
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const backend = await startBenchBackend({
    knex,
    workload: w,
    endpoints: {
      infisicalUrl: '',
      kubernetesUrl: kubernetes.url,
      kubernetesToken: kubernetes.token,
    },
    entities: Array.from({ length: w.entities }, (_, i) => catalogEntity(i)),
    stores: awsStoresConfig(w),
    providers: { aws: { endpoints: { secretsManager: awsServer.url } } },
    features: [awsModule],
  });
  try {
    const before = aws.calls();
    const started = Date.now();
    const cycle = await backend.runCycle();
    const wallTimeMs = Date.now() - started;
    const after = aws.calls();
    const requests = Object.fromEntries(
      Object.entries(after).map(([op, n]) => [op, n - (before[op] ?? 0)]),
    );
    return {
      entities: w.entities,
      stores: w.scopes,
      keysPerEntity: w.keysPerEntity,
      mappings: w.entities * w.keysPerEntity,
      requests,
      total: Object.values(requests).reduce((a, b) => a + b, 0),
      esoGetSecretValue: esoAwsRefreshCalls(w),
      wallTimeMs,
      ok: cycle?.ok,
      failing: cycle?.failing,
    };
  } finally {
    await backend.stop();
    await kubernetes.stop();
    await awsServer.close();
    await knex.destroy();
  }
}
