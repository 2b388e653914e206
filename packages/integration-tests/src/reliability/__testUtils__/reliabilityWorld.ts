/**
 * The outside world of the reliability suites: an Infisical simulator on a
 * local HTTP server, the Kubernetes apiserver simulator, one catalog entity
 * and the ExternalSecrets it owns, plus the plugin configuration that ties
 * them together. Shared by the in-process fault matrix, the soak and the
 * parent side of the child-process suites.
 */
import { Entity } from '@backstage/catalog-model';
import {
  InfisicalSimulator,
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { JsonObject } from '@backstage/types';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
  StoredObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';

export const NS = 'payments';
export const PROJECT = 'archon-platform';
export const ENVIRONMENT = 'prod';
export const STORE = 'infisical-archon';
export const CLIENT_ID = 'reliability-client-id';
export const CLIENT_SECRET = 'reliability-client-secret-never-printed';
const CREDENTIALS = 'infisical-universal-auth';
const CREDENTIALS_NAMESPACE = 'external-secrets';

/** The entity that owns the ExternalSecrets (by `backstage.io/kubernetes-id`). */
export const CHECKOUT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};
export const CHECKOUT_REF = 'component:default/checkout-service';
export const STATUS_PATH =
  '/api/external-secrets/entities/component/default/checkout-service/status';
export const SYNC_PATH =
  '/api/external-secrets/entities/component/default/checkout-service/sync';

export type ReliabilityWorld = {
  infisical: InfisicalSimulator;
  infisicalServer: InfisicalSimulatorServer;
  kubernetes: KubernetesSimulator;
  identityId: string;
  /** Stops the Infisical server (connections refused), keeping its data. */
  stopInfisical(): Promise<void>;
  /** Serves the same Infisical data again on the same port. */
  restartInfisical(): Promise<void>;
  stop(): Promise<void>;
};

/** Starts both simulators with the project, identity and namespace in place. */
export async function startReliabilityWorld(): Promise<ReliabilityWorld> {
  const infisical = new InfisicalSimulator();
  infisical.addProject({ slug: PROJECT, environments: [ENVIRONMENT] });
  const identityId = infisical.addUniversalAuthIdentity({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  infisical.grant(identityId, PROJECT);
  let infisicalServer = await startInfisicalSimulatorServer({
    simulator: infisical,
  });
  const kubernetes = await startKubernetesSimulator();
  seedNamespace(kubernetes);
  const world: ReliabilityWorld = {
    infisical,
    get infisicalServer() {
      return infisicalServer;
    },
    kubernetes,
    identityId,
    stopInfisical: () => infisicalServer.close(),
    async restartInfisical() {
      infisicalServer = await startInfisicalSimulatorServer({
        simulator: infisical,
        port: infisicalServer.port,
      });
    },
    async stop() {
      await infisicalServer.close().catch(() => undefined);
      await kubernetes.stop();
    },
  };
  return world;
}

export function seedNamespace(kubernetes: KubernetesSimulator) {
  kubernetes.seed({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
}

/** Sets Infisical secret `key` in folder `path` of the store's environment. */
export function setRemote(
  world: ReliabilityWorld,
  key: string,
  value: string,
  path = '/',
) {
  world.infisical.setSecret({
    project: PROJECT,
    environment: ENVIRONMENT,
    path,
    key,
    value,
  });
}

export function deleteRemote(world: ReliabilityWorld, key: string, path = '/') {
  world.infisical.deleteSecret({
    project: PROJECT,
    environment: ENVIRONMENT,
    path,
    key,
  });
}

/**
 * An ExternalSecret of the checkout entity reading `keys` from the Infisical
 * store; each Secret key is the remote key's last segment, lower-cased
 * (`app/DB_USER` → `db_user`).
 */
export function externalSecret(
  name: string,
  keys: string[],
  options: { refreshInterval?: string; deletionPolicy?: string } = {},
): StoredObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: options.refreshInterval ?? '1m',
      secretStoreRef: { kind: 'ClusterSecretStore', name: STORE },
      target: {
        name,
        ...(options.deletionPolicy && {
          deletionPolicy: options.deletionPolicy,
        }),
      },
      data: keys.map(key => ({
        secretKey: key.split('/').pop()!.toLowerCase(),
        remoteRef: { key },
      })),
    },
  };
}

/**
 * `externalSecrets.*` for the plugin: the simulated cluster in reconcile mode
 * and the Infisical store declared in config with its credentials.
 */
export function pluginConfig(
  world: {
    kubernetesUrl: string;
    kubernetesToken: string;
    infisicalUrl: string;
  },
  extra: JsonObject = {},
): JsonObject {
  return {
    clusters: [
      {
        name: 'test',
        url: world.kubernetesUrl,
        serviceAccountToken: world.kubernetesToken,
        mode: 'reconcile',
        esoFree: true,
      },
    ],
    stores: [
      {
        kind: 'ClusterSecretStore',
        metadata: { name: STORE },
        spec: {
          provider: {
            infisical: {
              hostAPI: world.infisicalUrl,
              auth: {
                universalAuthCredentials: {
                  clientId: {
                    name: CREDENTIALS,
                    key: 'clientId',
                    namespace: CREDENTIALS_NAMESPACE,
                  },
                  clientSecret: {
                    name: CREDENTIALS,
                    key: 'clientSecret',
                    namespace: CREDENTIALS_NAMESPACE,
                  },
                },
              },
              secretsScope: {
                projectSlug: PROJECT,
                environmentSlug: ENVIRONMENT,
                secretsPath: '/',
              },
            },
          },
        },
      },
    ],
    credentials: [
      {
        name: CREDENTIALS,
        namespace: CREDENTIALS_NAMESPACE,
        data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      },
    ],
    providers: {
      infisical: { requestTimeout: '400ms', maxRetries: 1 },
    },
    ...extra,
  };
}

/** The endpoints of a world, as a child process receives them. */
export function endpointsOf(world: ReliabilityWorld) {
  return {
    kubernetesUrl: world.kubernetes.url,
    kubernetesToken: world.kubernetes.token,
    infisicalUrl: world.infisicalServer.url,
  };
}

/** The decoded data of a Secret in the simulated cluster, or undefined. */
export function secretData(
  kubernetes: KubernetesSimulator,
  name: string,
): Record<string, string> | undefined {
  const secret = kubernetes.get({ kind: 'Secret', namespace: NS, name }) as
    | { data?: Record<string, string> }
    | undefined;
  if (!secret) return undefined;
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
}

/** Secret writes (create/update/patch/delete) the cluster received, optionally for one Secret. */
export function secretWrites(kubernetes: KubernetesSimulator, name?: string) {
  return kubernetes.requests.filter(
    r =>
      r.resource === 'secrets' &&
      ['create', 'update', 'patch', 'delete'].includes(r.verb ?? '') &&
      (!name || r.name === name),
  );
}
