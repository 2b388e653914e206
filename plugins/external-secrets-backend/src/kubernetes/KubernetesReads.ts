import { ESO_GROUP } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { WatchedResource } from './ClusterWatcher';
import {
  ListExternalSecretsOptions,
  ListSecretsMetadataOptions,
  ObjectKeyRef,
} from './ClusterClient';
import {
  ClusterRequests,
  coreTarget,
  ESO_VERSION,
  esoTarget,
  secretTarget,
  Target,
} from './ClusterRequests';
import {
  PARTIAL_OBJECT_METADATA,
  PARTIAL_OBJECT_METADATA_LIST,
} from './requestOptions';
import { fromV1Secret, toObjectMetadata } from './secretMapping';
import {
  KubernetesSecret,
  NamespaceInfo,
  ObjectMetadata,
  UnparsedKubernetesObject,
} from './types';

/**
 * Every read of a cluster: ESO's CRDs through CustomObjectsApi; Secrets (whole
 * or metadata only), ConfigMaps and Namespaces through CoreV1Api.
 */
export class KubernetesReads {
  constructor(
    private readonly core: CoreV1Api,
    private readonly custom: CustomObjectsApi,
    private readonly requests: ClusterRequests,
  ) {}

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

  async getExternalSecret(
    namespace: string,
    name: string,
  ): Promise<UnparsedKubernetesObject> {
    return this.requests.call(
      esoTarget('get', 'externalsecrets', namespace, name),
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

  /**
   * Every object of a watched resource across the cluster, with the list's
   * resourceVersion (where a watch starts). Secrets are listed as metadata
   * only: the watch needs no values to tell what changed.
   */
  async listForWatch(
    resource: WatchedResource,
    labelSelector?: string,
  ): Promise<{ items: UnparsedKubernetesObject[]; resourceVersion: string }> {
    const { pageSize } = this.requests;
    if (resource === 'secrets') {
      const target: Target = {
        ...coreTarget('list', 'secrets'),
        accept: PARTIAL_OBJECT_METADATA_LIST,
      };
      const list = await this.requests.pagedWithVersion(
        target,
        (opts, _continue) =>
          this.core.listSecretForAllNamespaces(
            { labelSelector, limit: pageSize, _continue },
            opts,
          ),
      );
      return {
        resourceVersion: list.resourceVersion,
        items: list.items.map(item => ({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: toObjectMetadata(item.metadata),
        })),
      };
    }
    const base = {
      group: ESO_GROUP,
      version: ESO_VERSION,
      plural: resource,
      labelSelector,
    };
    return this.requests.pagedWithVersion<UnparsedKubernetesObject>(
      esoTarget('list', resource),
      (opts, _continue) => {
        const page = { ...base, limit: pageSize, _continue };
        return resource === 'clustersecretstores'
          ? this.custom.listClusterCustomObject(page, opts)
          : this.custom.listCustomObjectForAllNamespaces(page, opts);
      },
    );
  }

  async getSecret(
    namespace: string,
    name: string,
  ): Promise<KubernetesSecret | undefined> {
    const target = secretTarget('get', namespace, name);
    const secret = await this.requests.optional(target, opts =>
      this.core.readNamespacedSecret({ namespace, name }, opts),
    );
    return secret && fromV1Secret(secret);
  }

  async listSecrets(
    options: ListSecretsMetadataOptions,
  ): Promise<KubernetesSecret[]> {
    const { namespace, labelSelector } = options;
    const { pageSize } = this.requests;
    const items = await this.requests.paged(
      secretTarget('list', namespace),
      (opts, _continue) =>
        this.core.listNamespacedSecret(
          { namespace, labelSelector, limit: pageSize, _continue },
          opts,
        ),
    );
    return items.map(fromV1Secret);
  }

  async listSecretsMetadata(
    options: ListSecretsMetadataOptions,
  ): Promise<ObjectMetadata[]> {
    const { namespace, labelSelector } = options;
    const { pageSize } = this.requests;
    const target: Target = {
      ...secretTarget('list', namespace),
      accept: PARTIAL_OBJECT_METADATA_LIST,
    };
    const items = await this.requests.paged(target, (opts, _continue) =>
      this.core.listNamespacedSecret(
        { namespace, labelSelector, limit: pageSize, _continue },
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
      ...secretTarget('get', namespace, name),
      accept: PARTIAL_OBJECT_METADATA,
    };
    const partial = await this.requests.optional(target, opts =>
      this.core.readNamespacedSecret({ namespace, name }, opts),
    );
    return partial && toObjectMetadata(partial.metadata);
  }

  async readSecretKey(ref: ObjectKeyRef): Promise<SecretValue> {
    const secret = await this.getSecret(ref.namespace, ref.name);
    const target = secretTarget('get', ref.namespace, ref.name);
    if (!secret) {
      throw this.requests.missing(target, 'Secret');
    }
    const value = Object.prototype.hasOwnProperty.call(secret.data, ref.key)
      ? secret.data[ref.key]
      : undefined;
    if (!value) {
      throw this.requests.missing(
        target,
        'Secret',
        ref.key,
        Object.keys(secret.data),
      );
    }
    return value;
  }

  async getConfigMap(
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined> {
    const target = coreTarget('get', 'configmaps', namespace, name);
    const configMap = await this.requests.optional(target, opts =>
      this.core.readNamespacedConfigMap({ namespace, name }, opts),
    );
    if (!configMap) return undefined;
    const binary = Object.entries(configMap.binaryData ?? {}).map(
      ([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')],
    );
    return { ...Object.fromEntries(binary), ...configMap.data };
  }

  async readConfigMapKey(ref: ObjectKeyRef): Promise<string> {
    const { namespace, name, key } = ref;
    const target = coreTarget('get', 'configmaps', namespace, name);
    const configMap = await this.requests.optional(target, opts =>
      this.core.readNamespacedConfigMap({ namespace, name }, opts),
    );
    if (!configMap) {
      throw this.requests.missing(target, 'ConfigMap');
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
    throw this.requests.missing(target, 'ConfigMap', key, keys);
  }

  async getNamespace(name: string): Promise<NamespaceInfo | undefined> {
    const target = coreTarget('get', 'namespaces', undefined, name);
    const namespace = await this.requests.optional(target, opts =>
      this.core.readNamespace({ name }, opts),
    );
    if (!namespace) return undefined;
    return {
      name,
      labels: namespace.metadata?.labels ?? {},
      annotations: namespace.metadata?.annotations ?? {},
    };
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
    const target = esoTarget('list', plural, namespace);
    const base = {
      group: ESO_GROUP,
      version: ESO_VERSION,
      plural,
      labelSelector,
    };
    const { pageSize } = this.requests;
    return this.requests.paged<UnparsedKubernetesObject>(
      target,
      (opts, _continue) => {
        const page = { ...base, limit: pageSize, _continue };
        if (namespace !== undefined) {
          return this.custom.listNamespacedCustomObject(
            { ...page, namespace },
            opts,
          );
        }
        return clusterScoped
          ? this.custom.listClusterCustomObject(page, opts)
          : this.custom.listCustomObjectForAllNamespaces(page, opts);
      },
    );
  }
}
