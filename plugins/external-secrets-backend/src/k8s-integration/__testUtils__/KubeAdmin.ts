import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  RbacAuthorizationV1Api,
  V1PolicyRule,
  V1Secret,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { KubeTestEnv } from './kubeTestEnv';

/** An object as the tests write it: plain JSON with apiVersion, kind and metadata. */
export type TestObject = KubernetesObject & {
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
};

/** The apiserver's answer to a failed request. */
export type ApiFailure = {
  code: number;
  body: {
    reason?: string;
    message?: string;
    details?: {
      causes?: { field?: string; reason?: string; message?: string }[];
    };
  };
};

/** A unique, DNS-safe name so tests never collide (namespaces are never deleted: no namespace controller runs). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/**
 * The tests' kubectl: a `system:masters` client on the control plane, used to
 * arrange objects and to check what the plugin left in the cluster. The plugin
 * itself never uses it.
 */
export class KubeAdmin {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  readonly rbac: RbacAuthorizationV1Api;
  readonly objects: KubernetesObjectApi;

  constructor(env: KubeTestEnv) {
    this.kubeConfig = new KubeConfig();
    this.kubeConfig.loadFromClusterAndUser(
      {
        name: 'kube-test-env',
        server: env.url,
        caFile: env.caFile,
        skipTLSVerify: false,
      },
      { name: 'kube-test-admin', token: env.adminToken },
    );
    this.core = this.kubeConfig.makeApiClient(CoreV1Api);
    this.custom = this.kubeConfig.makeApiClient(CustomObjectsApi);
    this.rbac = this.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(this.kubeConfig);
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

  async read<T extends KubernetesObject = TestObject>(
    header: Pick<TestObject, 'apiVersion' | 'kind' | 'metadata'>,
  ): Promise<T> {
    return this.objects.read<T>(header);
  }

  /** The object, or undefined when the apiserver answers 404. */
  async find<T extends KubernetesObject = TestObject>(
    header: Pick<TestObject, 'apiVersion' | 'kind' | 'metadata'>,
  ): Promise<T | undefined> {
    try {
      return await this.read<T>(header);
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw e;
    }
  }

  /** Reads the object, applies `change` and writes it back (optimistic, with its resourceVersion). */
  async update<T extends KubernetesObject = TestObject>(
    header: Pick<TestObject, 'apiVersion' | 'kind' | 'metadata'>,
    change: (current: T) => T,
  ): Promise<T> {
    const current = await this.read<T>(header);
    return this.objects.replace(change(current));
  }

  /** Deletes the object if it exists (for fixed names a previous run may have left). */
  async deleteIfPresent(
    header: Pick<TestObject, 'apiVersion' | 'kind' | 'metadata'>,
  ): Promise<void> {
    try {
      await this.objects.delete(header);
    } catch (e) {
      if (!(e instanceof ApiException && e.code === 404)) throw e;
    }
  }

  async secret(namespace: string, name: string): Promise<V1Secret | undefined> {
    return this.find<V1Secret>({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
    });
  }

  /** Writes an ExternalSecret's status as ESO would, through the status subresource. */
  async replaceExternalSecretStatus(
    namespace: string,
    name: string,
    status: Record<string, unknown>,
  ): Promise<TestObject> {
    const current = (await this.custom.getNamespacedCustomObject({
      group: 'external-secrets.io',
      version: 'v1',
      namespace,
      plural: 'externalsecrets',
      name,
    })) as TestObject;
    return (await this.custom.replaceNamespacedCustomObjectStatus({
      group: 'external-secrets.io',
      version: 'v1',
      namespace,
      plural: 'externalsecrets',
      name,
      body: { ...current, status },
    })) as TestObject;
  }

  /**
   * A service account granted exactly `rules` cluster-wide, and a token for it
   * (TokenRequest; the apiserver signs it with the control plane's key).
   */
  async serviceAccountToken(
    namespace: string,
    rules: V1PolicyRule[],
  ): Promise<{ token: string; user: string }> {
    const name = uniqueName('sa');
    await this.core.createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name } },
    });
    const role = `${namespace}-${name}`;
    await this.rbac.createClusterRole({
      body: { metadata: { name: role }, rules },
    });
    await this.rbac.createClusterRoleBinding({
      body: {
        metadata: { name: role },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: role,
        },
        subjects: [{ kind: 'ServiceAccount', name, namespace }],
      },
    });
    const request = await this.core.createNamespacedServiceAccountToken({
      namespace,
      name,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    return {
      token: request.status!.token,
      user: `system:serviceaccount:${namespace}:${name}`,
    };
  }
}

/** Runs `action`, expecting the apiserver to refuse it; returns the refusal. */
export async function apiFailure(
  action: Promise<unknown>,
): Promise<ApiFailure> {
  try {
    await action;
  } catch (e) {
    if (e instanceof ApiException) {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      return { code: e.code, body };
    }
    throw e;
  }
  throw new Error(
    'expected the apiserver to refuse the request, but it succeeded',
  );
}
