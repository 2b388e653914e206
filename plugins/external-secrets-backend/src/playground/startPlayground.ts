import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import type { JsonObject, JsonValue } from '@backstage/types';
// The simulator needs only Node and `yaml`: it ships with the plugin, unlike
// the test-only helpers (msw) of the other packages.
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  PLAYGROUND_CLUSTER,
  PLAYGROUND_KUBERNETES_ID,
  playgroundClusterObjects,
  playgroundStore,
} from './playgroundObjects';

/** The config key that turns the playground on. */
export const PLAYGROUND_KEY = 'externalSecrets.playground';

/** A running playground: the config the plugin reads instead of the root one. */
export type Playground = {
  /** The root config plus the simulated cluster, the sample store and `fake`. */
  config: Config;
  stop(): Promise<void>;
};

/**
 * Refuses the playground when NODE_ENV is production: its cluster is
 * simulated and its values are samples, so a production portal must never
 * show them as real.
 */
export function assertPlaygroundAllowed(env = process.env.NODE_ENV): void {
  if (env === 'production') {
    throw new Error(
      `${PLAYGROUND_KEY} is true but NODE_ENV is 'production': the playground runs a simulated cluster with sample values and is refused in production. Remove ${PLAYGROUND_KEY} from the production config and configure externalSecrets.clusters and stores instead.`,
    );
  }
}

/**
 * Starts the playground when `externalSecrets.playground` is true: an
 * in-process simulated Kubernetes API server on 127.0.0.1 (random port and
 * token) holding a sample ExternalSecret, and a ClusterSecretStore on ESO's
 * `fake` provider. Entities opt in with the annotation
 * `backstage.io/kubernetes-id: external-secrets-playground`.
 * Returns undefined when the playground is off.
 */
export async function startPlaygroundIfEnabled(
  root: Config,
  logger: LoggerService,
): Promise<Playground | undefined> {
  if (!root.getOptionalBoolean(PLAYGROUND_KEY)) return undefined;
  assertPlaygroundAllowed();
  const simulator = await startKubernetesSimulator({
    objects: playgroundClusterObjects(),
  });
  logger.warn(
    `PLAYGROUND (${PLAYGROUND_KEY}): simulated cluster '${PLAYGROUND_CLUSTER}' at ${simulator.url} and sample store, not real services. Annotate an entity with backstage.io/kubernetes-id: ${PLAYGROUND_KUBERNETES_ID} to see its sample ExternalSecret.`,
  );
  return {
    config: withPlayground(root, simulator),
    stop: () => simulator.stop(),
  };
}

/** The root config with the playground's cluster and store appended, and `fake` on. */
function withPlayground(root: Config, simulator: KubernetesSimulator): Config {
  const existing = (key: string) =>
    root.getOptional<JsonValue[]>(`externalSecrets.${key}`) ?? [];
  const overrides: JsonObject = {
    externalSecrets: {
      clusters: [
        ...existing('clusters'),
        {
          name: PLAYGROUND_CLUSTER,
          url: simulator.url,
          serviceAccountToken: simulator.token,
          mode: 'reconcile',
          esoFree: true,
        },
      ],
      stores: [...existing('stores'), playgroundStore()],
      providers: { fake: { enabled: true } },
    },
  };
  return ConfigReader.fromConfigs([
    { context: 'app-config', data: root.get<JsonObject>() },
    { context: PLAYGROUND_KEY, data: overrides },
  ]);
}
