import {
  ESO_API_VERSION,
  ESO_GROUP,
  ExternalSecretStatus,
} from '@internal/backstage-plugin-external-secrets-common';
import { SecretValue } from '@internal/backstage-plugin-external-secrets-node';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import {
  ClusterClient,
  DeleteSecretOptions,
  ListExternalSecretsOptions,
  ListSecretsMetadataOptions,
  ObjectKeyRef,
} from './ClusterClient';
import { ClusterConfig } from './ClusterConfig';
import { ClusterError, ClusterVerb } from './ClusterError';
import { createKubeConfig } from './createKubeConfig';
import {
  MERGE_PATCH,
  PARTIAL_OBJECT_METADATA,
  PARTIAL_OBJECT_METADATA_LIST,
  requestOptions,
} from './requestOptions';
import { KeepAliveAgents } from './KeepAliveAgents';
import { fromV1Secret, toObjectMetadata, toV1Secret } from './secretMapping';
import {
  ClusterRequest,
  requestDetails,
  toClusterError,
} from './toClusterError';
import {
  KubernetesSecret,
  NamespaceInfo,
  ObjectMetadata,
  UnparsedKubernetesObject,
} from './types';

/** @public */
export type KubernetesClusterClientOptions = {
  clusterName: string;
  kubeConfig: KubeConfig;
  /** Per-request timeout. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** `limit` of each list page. Default 500. */
  pageSize?: number;
};

type Target = {
  verb: ClusterVerb;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  accept?: string;
  contentType?: string;
};

type ObjectList<T> = {
  items?: T[];
  metadata?: { _continue?: string; continue?: string };
};

const ESO_VERSION = ESO_API_VERSION.split('/')[1];

/**
 * The name every write carries (`fieldManager`), so `metadata.managedFields`
 * and the apiserver's audit log say who wrote a field, not the HTTP library.
 */
export const FIELD_MANAGER = 'backstage-external-secrets';

function apiPath(target: Target): string {
  const base = target.group
    ? `/apis/${target.group}/${target.group === ESO_GROUP ? ESO_VERSION : 'v1'}`
    : '/api/v1';
  const [plural, subresource] = target.resource.split('/');
  const parts = [base];
  if (target.namespace !== undefined && plural !== 'namespaces') {
    parts.push('namespaces', encodeURIComponent(target.namespace));
  }
  parts.push(plural);
  if (target.name !== undefined) parts.push(encodeURIComponent(target.name));
  if (subresource) parts.push(subresource);
  return parts.join('/');
}

function continueToken(list: ObjectList<unknown>): string | undefined {
  return list.metadata?._continue ?? list.metadata?.continue ?? undefined;
}

/**
 * `ClusterClient` on `@kubernetes/client-node`: typed CoreV1Api for Secrets,
 * ConfigMaps and Namespaces, CustomObjectsApi for ESO's CRDs, per-request
 * timeout and headers through request middleware (see requestOptions.ts).
 *
 * @public
 */
export class KubernetesClusterClient implements ClusterClient {
  readonly clusterName: string;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly agents = new KeepAliveAgents();

  /** Builds the KubeConfig from a cluster's configured connection. */
  static fromConfig(
    cluster: Pick<ClusterConfig, 'name' | 'connection'>,
    options: { requestTimeoutMs?: number; pageSize?: number } = {},
  ): KubernetesClusterClient {
    return new KubernetesClusterClient({
      clusterName: cluster.name,
      kubeConfig: createKubeConfig(cluster.name, cluster.connection),
      ...options,
    });
  }

  constructor(options: KubernetesClusterClientOptions) {
    this.clusterName = options.clusterName;
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.pageSize = options.pageSize ?? 500;
  }

  /** Closes pooled idle connections (backend shutdown). */
  close(): void {
    this.agents.destroy();
  }

  async listExternalSecrets(
    options: ListExternalSecretsOptions = {},
  ): Promise<UnparsedKubernetesObject[]> {
    return this.listCustomObjects('externalsecrets', options);
  }

  async listSecretStores(
    options: { namespace?: string } = {},
  ): Promise<UnparsedKubernetesObject[]> {
    return this.listCustomObjects('secretstores', options);
  }

  async listClusterSecretStores(): Promise<UnparsedKubernetesObject[]> {
    return this.listCustomObjects('clustersecretstores', {
      clusterScoped: true,
    });
  }

  async getSecret(
    namespace: string,
    name: string,
  ): Promise<KubernetesSecret | undefined> {
    const target = this.secretTarget('get', namespace, name);
    const secret = await this.optional(target, opts =>
      this.core.readNamespacedSecret({ namespace, name }, opts),
    );
    return secret && fromV1Secret(secret);
  }

  async listSecrets(
    options: ListSecretsMetadataOptions,
  ): Promise<KubernetesSecret[]> {
    const { namespace, labelSelector } = options;
    const items = await this.paged(
      this.secretTarget('list', namespace),
      (opts, _continue) =>
        this.core.listNamespacedSecret(
          { namespace, labelSelector, limit: this.pageSize, _continue },
          opts,
        ),
    );
    return items.map(fromV1Secret);
  }

  async listSecretsMetadata(
    options: ListSecretsMetadataOptions,
  ): Promise<ObjectMetadata[]> {
    const { namespace, labelSelector } = options;
    const target: Target = {
      ...this.secretTarget('list', namespace),
      accept: PARTIAL_OBJECT_METADATA_LIST,
    };
    const items = await this.paged(target, (opts, _continue) =>
      this.core.listNamespacedSecret(
        { namespace, labelSelector, limit: this.pageSize, _continue },
        opts,
      ),
    );
    // Only metadata is kept, whatever else an answer might carry.
    return items.map(item => toObjectMetadata(item.metadata));
  }

  async getSecretMetadata(
    namespace: string,
    name: string,
  ): Promise<ObjectMetadata | undefined> {
    const target: Target = {
      ...this.secretTarget('get', namespace, name),
      accept: PARTIAL_OBJECT_METADATA,
    };
    const partial = await this.optional(target, opts =>
      this.core.readNamespacedSecret({ namespace, name }, opts),
    );
    return partial && toObjectMetadata(partial.metadata);
  }

  async createSecret(secret: KubernetesSecret): Promise<KubernetesSecret> {
    const { namespace, name } = secret.metadata;
    const created = await this.call(
      this.secretTarget('create', namespace, name),
      opts =>
        this.core.createNamespacedSecret(
          {
            namespace,
            body: toV1Secret(secret, { withResourceVersion: false }),
            fieldManager: FIELD_MANAGER,
          },
          opts,
        ),
    );
    return fromV1Secret(created);
  }

  async replaceSecret(secret: KubernetesSecret): Promise<KubernetesSecret> {
    const { namespace, name, resourceVersion } = secret.metadata;
    const target = this.secretTarget('update', namespace, name);
    if (!resourceVersion) {
      throw new ClusterError(
        'INVALID',
        `Cluster '${this.clusterName}': refusing to replace Secret "${name}" in namespace "${namespace}" without metadata.resourceVersion: read the Secret first so a concurrent change is not overwritten.`,
        requestDetails(this.describe(target)),
      );
    }
    const replaced = await this.call(target, opts =>
      this.core.replaceNamespacedSecret(
        {
          namespace,
          name,
          body: toV1Secret(secret, { withResourceVersion: true }),
          fieldManager: FIELD_MANAGER,
        },
        opts,
      ),
    );
    return fromV1Secret(replaced);
  }

  async deleteSecret(
    namespace: string,
    name: string,
    options: DeleteSecretOptions = {},
  ): Promise<boolean> {
    const target = this.secretTarget('delete', namespace, name);
    const body = options.resourceVersion
      ? { preconditions: { resourceVersion: options.resourceVersion } }
      : {};
    const deleted = await this.optional(target, async opts => {
      await this.core.deleteNamespacedSecret({ namespace, name, body }, opts);
      return true;
    });
    return deleted ?? false;
  }

  async replaceExternalSecretStatus(
    namespace: string,
    name: string,
    status: ExternalSecretStatus,
    resourceVersion?: string,
  ): Promise<UnparsedKubernetesObject> {
    const current = resourceVersion
      ? undefined
      : await this.getExternalSecret(namespace, name);
    const body = current
      ? { ...current, status }
      : {
          apiVersion: ESO_API_VERSION,
          kind: 'ExternalSecret',
          metadata: { name, namespace, resourceVersion },
          status,
        };
    const target = this.esoTarget(
      'update',
      'externalsecrets/status',
      namespace,
      name,
    );
    return this.call(target, opts =>
      this.custom.replaceNamespacedCustomObjectStatus(
        {
          group: ESO_GROUP,
          version: ESO_VERSION,
          namespace,
          plural: 'externalsecrets',
          name,
          body,
          fieldManager: FIELD_MANAGER,
        },
        opts,
      ),
    );
  }

  async patchExternalSecretAnnotations(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
  ): Promise<UnparsedKubernetesObject> {
    const target: Target = {
      ...this.esoTarget('patch', 'externalsecrets', namespace, name),
      contentType: MERGE_PATCH,
    };
    return this.call(target, opts =>
      this.custom.patchNamespacedCustomObject(
        {
          group: ESO_GROUP,
          version: ESO_VERSION,
          namespace,
          plural: 'externalsecrets',
          name,
          body: { metadata: { annotations } },
          fieldManager: FIELD_MANAGER,
        },
        opts,
      ),
    );
  }

  async readSecretKey(ref: ObjectKeyRef): Promise<SecretValue> {
    const secret = await this.getSecret(ref.namespace, ref.name);
    const target = this.secretTarget('get', ref.namespace, ref.name);
    if (!secret) {
      throw this.missing(target, 'Secret');
    }
    const value = Object.prototype.hasOwnProperty.call(secret.data, ref.key)
      ? secret.data[ref.key]
      : undefined;
    if (!value) {
      throw this.missing(target, 'Secret', ref.key, Object.keys(secret.data));
    }
    return value;
  }

  async readConfigMapKey(ref: ObjectKeyRef): Promise<string> {
    const { namespace, name, key } = ref;
    const target = this.coreTarget('get', 'configmaps', namespace, name);
    const configMap = await this.optional(target, opts =>
      this.core.readNamespacedConfigMap({ namespace, name }, opts),
    );
    if (!configMap) {
      throw this.missing(target, 'ConfigMap');
    }
    const text = configMap.data?.[key];
    if (text !== undefined) return text;
    const binary = configMap.binaryData?.[key];
    if (binary !== undefined)
      return Buffer.from(binary, 'base64').toString('utf8');
    const keys = [
      ...Object.keys(configMap.data ?? {}),
      ...Object.keys(configMap.binaryData ?? {}),
    ];
    throw this.missing(target, 'ConfigMap', key, keys);
  }

  async getNamespace(name: string): Promise<NamespaceInfo | undefined> {
    const target = this.coreTarget('get', 'namespaces', undefined, name);
    const namespace = await this.optional(target, opts =>
      this.core.readNamespace({ name }, opts),
    );
    if (!namespace) return undefined;
    return {
      name,
      labels: namespace.metadata?.labels ?? {},
      annotations: namespace.metadata?.annotations ?? {},
    };
  }

  private async getExternalSecret(
    namespace: string,
    name: string,
  ): Promise<UnparsedKubernetesObject> {
    return this.call(
      this.esoTarget('get', 'externalsecrets', namespace, name),
      opts =>
        this.custom.getNamespacedCustomObject(
          {
            group: ESO_GROUP,
            version: ESO_VERSION,
            namespace,
            plural: 'externalsecrets',
            name,
          },
          opts,
        ),
    );
  }

  private async listCustomObjects(
    plural: string,
    options: {
      namespace?: string;
      labelSelector?: string;
      clusterScoped?: boolean;
    },
  ): Promise<UnparsedKubernetesObject[]> {
    const { namespace, labelSelector, clusterScoped } = options;
    const target = this.esoTarget('list', plural, namespace);
    const base = {
      group: ESO_GROUP,
      version: ESO_VERSION,
      plural,
      labelSelector,
    };
    return this.paged<UnparsedKubernetesObject>(target, (opts, _continue) => {
      const page = { ...base, limit: this.pageSize, _continue };
      if (namespace !== undefined) {
        return this.custom.listNamespacedCustomObject(
          { ...page, namespace },
          opts,
        );
      }
      return clusterScoped
        ? this.custom.listClusterCustomObject(page, opts)
        : this.custom.listCustomObjectForAllNamespaces(page, opts);
    });
  }

  /** Follows `continue` tokens until the list is complete. */
  private async paged<T>(
    target: Target,
    fetchPage: (
      opts: ReturnType<typeof requestOptions>,
      continueFrom: string | undefined,
    ) => Promise<ObjectList<T>>,
  ): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const from = token;
      const page = await this.call(target, opts => fetchPage(opts, from));
      items.push(...(page.items ?? []));
      token = continueToken(page);
    } while (token);
    return items;
  }

  /** Like call(), but a 404 resolves to undefined. */
  private async optional<T>(
    target: Target,
    send: (opts: ReturnType<typeof requestOptions>) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.call(target, send);
    } catch (error) {
      if (error instanceof ClusterError && error.errorType === 'NOT_FOUND') {
        return undefined;
      }
      throw error;
    }
  }

  private async call<T>(
    target: Target,
    send: (opts: ReturnType<typeof requestOptions>) => Promise<T>,
  ): Promise<T> {
    const options = requestOptions({
      timeoutMs: this.timeoutMs,
      agents: this.agents,
      accept: target.accept,
      contentType: target.contentType,
    });
    try {
      return await send(options);
    } catch (error) {
      throw toClusterError(error, this.describe(target));
    }
  }

  private describe(target: Target): ClusterRequest {
    return {
      cluster: this.clusterName,
      verb: target.verb,
      group: target.group,
      resource: target.resource,
      ...(target.namespace !== undefined && { namespace: target.namespace }),
      ...(target.name !== undefined && { name: target.name }),
      path: apiPath(target),
      timeoutMs: this.timeoutMs,
    };
  }

  /** A missing object, or a missing key next to the names (never values) of the present ones. */
  private missing(
    target: Target,
    kind: 'Secret' | 'ConfigMap',
    key?: string,
    presentKeys: string[] = [],
  ): ClusterError {
    const object = `${kind} "${target.name}" in namespace "${target.namespace}"`;
    const problem =
      key === undefined
        ? 'does not exist'
        : `has no key "${key}" (keys: ${
            presentKeys.sort().join(', ') || 'none'
          })`;
    return new ClusterError(
      'NOT_FOUND',
      `Cluster '${this.clusterName}': ${object} ${problem}.`,
      { ...requestDetails(this.describe(target)), httpStatus: 404 },
    );
  }

  private secretTarget(
    verb: ClusterVerb,
    namespace: string,
    name?: string,
  ): Target {
    return this.coreTarget(verb, 'secrets', namespace, name);
  }

  private coreTarget(
    verb: ClusterVerb,
    resource: string,
    namespace?: string,
    name?: string,
  ): Target {
    return { verb, group: '', resource, namespace, name };
  }

  private esoTarget(
    verb: ClusterVerb,
    resource: string,
    namespace?: string,
    name?: string,
  ): Target {
    return { verb, group: ESO_GROUP, resource, namespace, name };
  }
}
