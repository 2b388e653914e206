/**
 * Reuse of the Kubernetes plugin's clusters (`kubernetes.clusterLocatorMethods`)
 * for background sync. Only clusters listed in config can be read without I/O;
 * of those, only server-side credentials work without a user's token. This
 * never throws: the Kubernetes plugin validates its own config, and a cluster
 * we cannot use is reported, not fatal.
 */
import type { Config } from '@backstage/config';
import type { JsonObject, JsonValue } from '@backstage/types';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  ClusterConfig,
  ClusterConfigs,
  UnusableCluster,
} from './ClusterConfig';

const AUTH_PROVIDER_ANNOTATION = 'kubernetes.io/auth-provider';
/** Called with the signed-in user's token, which a scheduled task does not have. */
const USER_DELEGATED = new Set(['google', 'oidc']);
/** Server-side credentials we do not implement (yet). */
const NOT_IMPLEMENTED = new Set(['aws', 'azure', 'googleServiceAccount']);
/** Where `kubectl proxy` listens; the Kubernetes plugin's `localKubectlProxy` locator uses it. */
const KUBECTL_PROXY_URL = 'http://127.0.0.1:8001';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function observeCluster(
  name: string,
  configKey: string,
  connection: ClusterConfig['connection'],
): ClusterConfig {
  return {
    name,
    mode: 'observe',
    esoFree: false,
    configKey,
    source: 'kubernetes.clusterLocatorMethods',
    connection,
  };
}

type Resolved = { cluster: ClusterConfig } | { unusable: UnusableCluster };

/** Mirrors the Kubernetes plugin's ConfigClusterLocator: `authMetadata` overrides the flat keys. */
function resolveConfigCluster(entry: JsonObject, key: string): Resolved {
  const name = optionalString(entry.name) ?? key;
  const url = optionalString(entry.url);
  const authMetadata = isObject(entry.authMetadata) ? entry.authMetadata : {};
  const authProvider =
    optionalString(authMetadata[AUTH_PROVIDER_ANNOTATION]) ??
    optionalString(entry.authProvider);
  if (!url) {
    return { unusable: { name, reason: `${key}.url is missing` } };
  }
  if (!authProvider) {
    return { unusable: { name, reason: `${key} has no authProvider` } };
  }
  if (USER_DELEGATED.has(authProvider)) {
    return {
      unusable: {
        name,
        reason: `uses user-delegated auth (${authProvider}): not usable for background sync`,
      },
    };
  }
  if (authProvider === 'localKubectlProxy') {
    return {
      cluster: observeCluster(name, key, { type: 'localKubectlProxy', url }),
    };
  }
  if (authProvider !== 'serviceAccount') {
    const known = NOT_IMPLEMENTED.has(authProvider)
      ? ''
      : ' (unknown auth provider)';
    return {
      unusable: {
        name,
        reason: `auth provider ${authProvider} is not implemented for background sync${known}`,
      },
    };
  }
  const token =
    optionalString(authMetadata.serviceAccountToken) ??
    optionalString(entry.serviceAccountToken);
  return {
    cluster: observeCluster(name, key, {
      type: 'serviceAccount',
      url,
      ...(token && { token: SecretValue.fromString(token) }),
      ...(optionalString(entry.caData) && {
        caData: optionalString(entry.caData),
      }),
      ...(optionalString(entry.caFile) && {
        caFile: optionalString(entry.caFile),
      }),
      skipTLSVerify: entry.skipTLSVerify === true,
    }),
  };
}

function readLocatorMethod(method: JsonObject, key: string): Resolved[] {
  const type = optionalString(method.type) ?? 'unknown';
  if (type === 'localKubectlProxy') {
    return [
      {
        cluster: observeCluster('local', key, {
          type: 'localKubectlProxy',
          url: KUBECTL_PROXY_URL,
        }),
      },
    ];
  }
  if (type !== 'config') {
    return [
      {
        unusable: {
          name: key,
          reason: `cluster locator type '${type}' is not read for background sync: declare its clusters under externalSecrets.clusters`,
        },
      },
    ];
  }
  const clusters = Array.isArray(method.clusters) ? method.clusters : [];
  return clusters.map((entry, index) => {
    const entryKey = `${key}.clusters[${index}]`;
    return isObject(entry)
      ? resolveConfigCluster(entry, entryKey)
      : {
          unusable: { name: entryKey, reason: `${entryKey} is not an object` },
        };
  });
}

/**
 * Clusters of `kubernetes.clusterLocatorMethods`, minus the names in `skip`
 * (the plugin's own clusters win a name clash). Usable clusters default to
 * `observe` mode.
 *
 * @internal
 */
export function readKubernetesPluginClusters(
  config: Config,
  skip: ReadonlySet<string>,
): ClusterConfigs {
  const methods = config.getOptional('kubernetes.clusterLocatorMethods');
  const result: ClusterConfigs = { clusters: [], unusable: [] };
  if (!Array.isArray(methods)) return result;
  const seen = new Set(skip);
  methods.forEach((method, index) => {
    const key = `kubernetes.clusterLocatorMethods[${index}]`;
    if (!isObject(method)) return;
    for (const resolved of readLocatorMethod(method, key)) {
      const name =
        'cluster' in resolved ? resolved.cluster.name : resolved.unusable.name;
      if (skip.has(name)) continue;
      if (seen.has(name)) {
        result.unusable.push({
          name,
          reason: `duplicate cluster name '${name}' in kubernetes.clusterLocatorMethods; the first one is used`,
        });
        continue;
      }
      seen.add(name);
      if ('cluster' in resolved) result.clusters.push(resolved.cluster);
      else result.unusable.push(resolved.unusable);
    }
  });
  return result;
}
