/**
 * Builds the client library's KubeConfig for one cluster connection. The
 * KubeConfig then authenticates every request (bearer token, token file,
 * exec/OIDC from a kubeconfig) and builds its TLS agent.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, User } from '@kubernetes/client-node';
import { ClusterConnection } from './ClusterConfig';

/** Where Kubernetes mounts a pod's service account token. @internal */
export const SERVICE_ACCOUNT_TOKEN_PATH =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The client refuses `http:` servers unless skipTLSVerify is set, since there is
 * no TLS to verify there; setting it for plain HTTP changes nothing else.
 */
function clusterEntry(
  name: string,
  url: string,
  tls: { caData?: string; caFile?: string; skipTLSVerify?: boolean } = {},
): Cluster {
  const plainHttp = new URL(url).protocol === 'http:';
  return {
    name,
    server: url.replace(/\/+$/, ''),
    caData: tls.caData,
    caFile: tls.caFile,
    skipTLSVerify: plainHttp || (tls.skipTLSVerify ?? false),
  };
}

function serviceAccountUser(token: string | undefined): User {
  if (token !== undefined) return { name: 'service-account', token };
  // The same shape loadFromCluster() uses: the file is re-read as it rotates.
  return {
    name: 'service-account',
    authProvider: {
      name: 'tokenFile',
      config: { tokenFile: SERVICE_ACCOUNT_TOKEN_PATH },
    },
  };
}

function fromKubeconfigFile(
  path: string | undefined,
  context: string | undefined,
): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else kubeConfig.loadFromDefault();
  if (context === undefined) return kubeConfig;
  if (!kubeConfig.getContextObject(context)) {
    const known = kubeConfig.getContexts().map(c => c.name);
    throw new Error(
      `externalSecrets.kubeconfig.context '${context}' is not in the kubeconfig${
        path ? ` ${path}` : ''
      } (contexts: ${known.join(', ') || 'none'})`,
    );
  }
  kubeConfig.setCurrentContext(context);
  return kubeConfig;
}

/**
 * May read files (kubeconfig); throws an Error naming the problem when the
 * connection cannot be set up.
 *
 * @internal
 */
export function createKubeConfig(
  clusterName: string,
  connection: ClusterConnection,
): KubeConfig {
  switch (connection.type) {
    case 'serviceAccount': {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromClusterAndUser(
        clusterEntry(clusterName, connection.url, connection),
        serviceAccountUser(connection.token?.text()),
      );
      return kubeConfig;
    }
    case 'localKubectlProxy': {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromClusterAndUser(
        clusterEntry(clusterName, connection.url),
        {
          name: 'anonymous',
        },
      );
      return kubeConfig;
    }
    case 'inCluster': {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromCluster();
      return kubeConfig;
    }
    case 'kubeconfig':
      return fromKubeconfigFile(connection.path, connection.context);
    default:
      throw new Error(`Unknown connection type for cluster '${clusterName}'`);
  }
}
