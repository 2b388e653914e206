/**
 * Reads which clusters the plugin syncs, from config only (no I/O):
 *
 * 1. `externalSecrets.clusters[]`, the plugin's own list;
 * 2. `externalSecrets.kubeconfig`, one cluster from a kubeconfig file/context;
 * 3. unless `externalSecrets.useKubernetesPluginClusters` is false, the
 *    Kubernetes plugin's `kubernetes.clusterLocatorMethods` (see
 *    readKubernetesPluginClusters); the plugin's own entries win a name clash.
 *
 * Bad values in the plugin's own keys throw one error listing every problem
 * by config key; no message quotes a configured value.
 */
import type { Config } from '@backstage/config';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { z } from 'zod';
import {
  ClusterConfig,
  ClusterConfigs,
  ClusterConnection,
  RolloutMode,
} from './ClusterConfig';
import { readKubernetesPluginClusters } from './readKubernetesPluginClusters';

const CLUSTERS_KEY = 'externalSecrets.clusters';
const KUBECONFIG_KEY = 'externalSecrets.kubeconfig';

const syncOptions = {
  mode: z.enum(['reconcile', 'observe']).default('observe'),
  esoFree: z.boolean().default(false),
  controllerClass: z.string().min(1).optional(),
  rollout: z.enum(['off', 'observe', 'restart']).default('off'),
};

const clusterSchema = z
  .object({
    name: z.string().min(1),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .optional(),
    inCluster: z.boolean().default(false),
    authProvider: z
      .enum(['serviceAccount', 'localKubectlProxy'], {
        error:
          "must be 'serviceAccount' or 'localKubectlProxy' (background sync cannot use user-delegated auth)",
      })
      .default('serviceAccount'),
    serviceAccountToken: z.string().min(1).optional(),
    caData: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    dangerouslySkipTLSVerify: z.boolean().default(false),
    ...syncOptions,
  })
  .strict();

const kubeconfigSchema = z
  .object({
    name: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    ...syncOptions,
  })
  .strict();

type OwnCluster = z.infer<typeof clusterSchema>;

function keyOf(base: string, path: PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === 'number' ? `${key}[${part}]` : `${key}.${String(part)}`,
    base,
  );
}

function describeIssue(base: string, issue: z.core.$ZodIssue): string {
  const key = keyOf(base, issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${key}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys
      .map(k => `'${k}'`)
      .join(', ')}`;
  }
  // zod does not keep the input (so no value is ever quoted); its text says `received undefined`.
  if (
    issue.code === 'invalid_type' &&
    issue.message.endsWith('received undefined')
  ) {
    return `${key}: is required`;
  }
  return `${key}: ${issue.message}`;
}

/** The shape checks zod cannot say clearly; each names the key. */
function connectionProblems(cluster: OwnCluster, key: string): string[] {
  const problems: string[] = [];
  if (cluster.inCluster && cluster.url) {
    problems.push(`${key}: set either url or inCluster: true, not both`);
  }
  if (!cluster.inCluster && !cluster.url) {
    problems.push(
      `${key}.url: is required (or set inCluster: true for the cluster the backend runs in)`,
    );
  }
  if (cluster.caData && cluster.caFile) {
    problems.push(`${key}: set either caData or caFile, not both`);
  }
  if (
    cluster.authProvider === 'localKubectlProxy' &&
    cluster.serviceAccountToken
  ) {
    problems.push(
      `${key}.serviceAccountToken: not used with authProvider 'localKubectlProxy'`,
    );
  }
  return problems;
}

function toConnection(cluster: OwnCluster): ClusterConnection {
  if (cluster.inCluster) return { type: 'inCluster' };
  const url = cluster.url!;
  if (cluster.authProvider === 'localKubectlProxy') {
    return { type: 'localKubectlProxy', url };
  }
  return {
    type: 'serviceAccount',
    url,
    ...(cluster.serviceAccountToken && {
      token: SecretValue.fromString(cluster.serviceAccountToken),
    }),
    ...(cluster.caData && { caData: cluster.caData }),
    ...(cluster.caFile && { caFile: cluster.caFile }),
    skipTLSVerify: cluster.dangerouslySkipTLSVerify,
  };
}

function syncSettings(parsed: {
  mode: ClusterConfig['mode'];
  esoFree: boolean;
  controllerClass?: string;
  rollout: RolloutMode;
}) {
  return {
    mode: parsed.mode,
    esoFree: parsed.esoFree,
    ...(parsed.controllerClass && { controllerClass: parsed.controllerClass }),
    rollout: parsed.rollout,
  };
}

function readOwnClusters(config: Config, problems: string[]): ClusterConfig[] {
  const raw = config.getOptional(CLUSTERS_KEY);
  if (raw === undefined) return [];
  const parsed = z.array(z.unknown()).safeParse(raw);
  if (!parsed.success) {
    problems.push(`${CLUSTERS_KEY}: must be a list of clusters`);
    return [];
  }
  const clusters: ClusterConfig[] = [];
  parsed.data.forEach((entry, index) => {
    const key = `${CLUSTERS_KEY}[${index}]`;
    const result = clusterSchema.safeParse(entry);
    if (!result.success) {
      problems.push(...result.error.issues.map(i => describeIssue(key, i)));
      return;
    }
    const connectionIssues = connectionProblems(result.data, key);
    if (connectionIssues.length > 0) {
      problems.push(...connectionIssues);
      return;
    }
    clusters.push({
      name: result.data.name,
      ...syncSettings(result.data),
      configKey: key,
      source: CLUSTERS_KEY,
      connection: toConnection(result.data),
    });
  });
  return clusters;
}

function readKubeconfigCluster(
  config: Config,
  problems: string[],
): ClusterConfig | undefined {
  const raw = config.getOptional(KUBECONFIG_KEY);
  if (raw === undefined) return undefined;
  const result = kubeconfigSchema.safeParse(raw);
  if (!result.success) {
    problems.push(
      ...result.error.issues.map(i => describeIssue(KUBECONFIG_KEY, i)),
    );
    return undefined;
  }
  const { name, path, context } = result.data;
  return {
    name: name ?? context ?? 'kubeconfig',
    ...syncSettings(result.data),
    configKey: KUBECONFIG_KEY,
    source: KUBECONFIG_KEY,
    connection: {
      type: 'kubeconfig',
      ...(path && { path }),
      ...(context && { context }),
    },
  };
}

function duplicateProblems(clusters: ClusterConfig[]): string[] {
  const firstKey = new Map<string, string>();
  const problems: string[] = [];
  for (const cluster of clusters) {
    const earlier = firstKey.get(cluster.name);
    if (earlier) {
      problems.push(
        `${cluster.configKey}.name: duplicate cluster name '${cluster.name}' (also at ${earlier})`,
      );
    } else {
      firstKey.set(cluster.name, cluster.configKey);
    }
  }
  return problems;
}

/**
 * The clusters to sync and the declared ones that cannot be used (with why).
 * Throws an Error naming every bad `externalSecrets.*` key.
 *
 * @public
 */
export function readClusterConfigs(config: Config): ClusterConfigs {
  const problems: string[] = [];
  const own = readOwnClusters(config, problems);
  const kubeconfig = readKubeconfigCluster(config, problems);
  const clusters = kubeconfig ? [...own, kubeconfig] : own;
  const reuse = config.getOptional(
    'externalSecrets.useKubernetesPluginClusters',
  );
  if (reuse !== undefined && typeof reuse !== 'boolean') {
    problems.push(
      'externalSecrets.useKubernetesPluginClusters: must be true or false',
    );
  }
  problems.push(...duplicateProblems(clusters));
  if (problems.length > 0) {
    throw new Error(
      `Invalid External Secrets cluster configuration: ${problems.join('; ')}`,
    );
  }
  if (reuse === false) return { clusters, unusable: [] };
  const reused = readKubernetesPluginClusters(
    config,
    new Set(clusters.map(c => c.name)),
  );
  return {
    clusters: [...clusters, ...reused.clusters],
    unusable: reused.unusable,
  };
}
