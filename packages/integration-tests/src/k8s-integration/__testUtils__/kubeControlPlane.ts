/**
 * The real control plane `scripts/kube-test-env.sh start` runs, read from the
 * same `KUBE_TEST_ENV_*` variables as the backend's own k8s suites, with the
 * few admin operations the cross-package scenarios arrange objects with. (The
 * backend's fuller KubeAdmin is private to its package; these scenarios use
 * only what they need through `@kubernetes/client-node`.)
 */
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  V1Secret,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** An object as the tests write it: plain JSON with apiVersion, kind and metadata. */
export type TestObject = KubernetesObject & {
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
};

/** The control plane's coordinates, and the plugin's cluster entry for it. */
export type KubeControlPlane = {
  url: string;
  caFile: string;
  adminToken: string;
  /** The plugin's least-privilege service account, as an operator configures it. */
  pluginCluster: { url: string; serviceAccountToken: string; caData: string };
};

const VARIABLES = [
  'KUBE_TEST_ENV_URL',
  'KUBE_TEST_ENV_CA_FILE',
  'KUBE_TEST_ENV_ADMIN_TOKEN',
  'KUBE_TEST_ENV_PLUGIN_TOKEN',
] as const;

/** Never skips: without a control plane the test fails, naming the command that starts one. */
export function kubeControlPlane(): KubeControlPlane {
  const missing = VARIABLES.filter(name => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `No Kubernetes control plane for the k8s integration tests (${missing.join(
        ', ',
      )} unset). Run them with \`bash scripts/kube-test-env.sh run-tests\`, or ` +
        '`eval "$(bash scripts/kube-test-env.sh start)"` before `yarn test:k8s`.',
    );
  }
  const [url, caFile, adminToken, pluginToken] = VARIABLES.map(
    name => process.env[name] as string,
  );
  return {
    url,
    caFile,
    adminToken,
    pluginCluster: {
      url,
      serviceAccountToken: pluginToken,
      caData: readFileSync(caFile).toString('base64'),
    },
  };
}

/** A unique, DNS-safe name so tests never collide (no namespace controller deletes namespaces). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** The tests' kubectl (`system:masters`): arranges objects and reads what the plugin wrote. */
export class KubeAdmin {
  private readonly core: CoreV1Api;
  private readonly objects: KubernetesObjectApi;

  constructor(plane: KubeControlPlane) {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser(
      {
        name: 'kube-test-env',
        server: plane.url,
        caFile: plane.caFile,
        skipTLSVerify: false,
      },
      { name: 'kube-test-admin', token: plane.adminToken },
    );
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  /** Creates a namespace with a unique name and returns the name. */
  async createNamespace(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await this.core.createNamespace({ body: { metadata: { name } } });
    return name;
  }

  async create<T extends TestObject>(object: T): Promise<T> {
    return this.objects.create(object);
  }

  /** The Secret, or undefined when the apiserver answers 404. */
  async secret(namespace: string, name: string): Promise<V1Secret | undefined> {
    try {
      return await this.objects.read<V1Secret>({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace },
      });
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw e;
    }
  }
}
