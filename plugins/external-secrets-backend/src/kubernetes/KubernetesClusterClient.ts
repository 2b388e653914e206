import {
  ExternalSecretStatus,
  SecretStore,
  StoreKind,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  PodStart,
  SecretValue,
  WorkloadKind,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CoreV1Event,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import {
  ClusterClient,
  DeleteSecretOptions,
  ListExternalSecretsOptions,
  ListSecretsMetadataOptions,
  ObjectKeyRef,
  SecretWriteOptions,
} from './ClusterClient';
import { ClusterConfig } from './ClusterConfig';
import { ClusterRequests } from './ClusterRequests';
import { createKubeConfig } from './createKubeConfig';
import { ClusterWatcher } from './ClusterWatcher';
import { KubernetesClusterWatcher } from './KubernetesClusterWatcher';
import { KubernetesReads } from './KubernetesReads';
import { KubernetesWorkloads } from './KubernetesWorkloads';
import { KubernetesWrites } from './KubernetesWrites';
import {
  KubernetesSecret,
  NamespaceInfo,
  ObjectMetadata,
  UnparsedKubernetesObject,
} from './types';

export { FIELD_MANAGER } from './ClusterRequests';

/** @public */
export type KubernetesClusterClientOptions = {
  clusterName: string;
  kubeConfig: KubeConfig;
  /** Per-request timeout. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** `limit` of each list page. Default 500. */
  pageSize?: number;
  /**
   * Connections kept to the apiserver, so requests in flight at once (more
   * wait for a free one). Default 32; the plugin passes
   * `externalSecrets.concurrency.kubernetesRequests`.
   */
  maxConnections?: number;
  /** Watch retry and timeout settings (defaults: client-go's reflector's). */
  watch?: WatchTuning;
};

/** @public */
export type WatchTuning = {
  minBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutSeconds?: number;
};

/**
 * `ClusterClient` on `@kubernetes/client-node`: typed CoreV1Api for Secrets,
 * ConfigMaps and Namespaces, CustomObjectsApi for ESO's CRDs. Reads live in
 * KubernetesReads.ts, writes in KubernetesWrites.ts, timeouts, paging and
 * error mapping in ClusterRequests.ts; this class wires them to one cluster.
 *
 * @public
 */
export class KubernetesClusterClient implements ClusterClient {
  readonly clusterName: string;
  /** Watches of ExternalSecrets, stores and managed Secrets (event-driven reconcile). */
  readonly watcher: ClusterWatcher;
  private readonly requests: ClusterRequests;
  private readonly reads: KubernetesReads;
  private readonly writes: KubernetesWrites;
  private readonly workloads: KubernetesWorkloads;

  /** Builds the KubeConfig from a cluster's configured connection. */
  static fromConfig(
    cluster: Pick<ClusterConfig, 'name' | 'connection'>,
    options: {
      requestTimeoutMs?: number;
      pageSize?: number;
      maxConnections?: number;
      watch?: WatchTuning;
    } = {},
  ): KubernetesClusterClient {
    return new KubernetesClusterClient({
      clusterName: cluster.name,
      kubeConfig: createKubeConfig(cluster.name, cluster.connection),
      ...options,
    });
  }

  constructor(options: KubernetesClusterClientOptions) {
    this.clusterName = options.clusterName;
    const core = options.kubeConfig.makeApiClient(CoreV1Api);
    const custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.requests = new ClusterRequests({
      clusterName: options.clusterName,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      pageSize: options.pageSize ?? 500,
      maxConnections: options.maxConnections,
    });
    this.reads = new KubernetesReads(core, custom, this.requests);
    this.writes = new KubernetesWrites(core, custom, this.requests, this.reads);
    this.watcher = new KubernetesClusterWatcher({
      ...options.watch,
      kubeConfig: options.kubeConfig,
      list: (resource, labelSelector) =>
        this.reads.listForWatch(resource, labelSelector),
    });
    this.workloads = new KubernetesWorkloads(
      options.kubeConfig.makeApiClient(AppsV1Api),
      options.kubeConfig.makeApiClient(BatchV1Api),
      core,
      this.requests,
    );
  }

  /** Closes pooled idle connections (backend shutdown). */
  close(): void {
    this.requests.close();
  }

  // Reads (KubernetesReads.ts)

  listExternalSecrets(
    options: ListExternalSecretsOptions = {},
  ): Promise<UnparsedKubernetesObject[]> {
    return this.reads.listExternalSecrets(options);
  }

  listSecretStores(
    options: { namespace?: string } = {},
  ): Promise<UnparsedKubernetesObject[]> {
    return this.reads.listSecretStores(options);
  }

  listClusterSecretStores(): Promise<UnparsedKubernetesObject[]> {
    return this.reads.listClusterSecretStores();
  }

  getSecret(
    namespace: string,
    name: string,
  ): Promise<KubernetesSecret | undefined> {
    return this.reads.getSecret(namespace, name);
  }

  listSecrets(
    options: ListSecretsMetadataOptions,
  ): Promise<KubernetesSecret[]> {
    return this.reads.listSecrets(options);
  }

  listSecretsMetadata(
    options: ListSecretsMetadataOptions,
  ): Promise<ObjectMetadata[]> {
    return this.reads.listSecretsMetadata(options);
  }

  getSecretMetadata(
    namespace: string,
    name: string,
  ): Promise<ObjectMetadata | undefined> {
    return this.reads.getSecretMetadata(namespace, name);
  }

  readSecretKey(ref: ObjectKeyRef): Promise<SecretValue> {
    return this.reads.readSecretKey(ref);
  }

  getConfigMap(
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined> {
    return this.reads.getConfigMap(namespace, name);
  }

  readConfigMapKey(ref: ObjectKeyRef): Promise<string> {
    return this.reads.readConfigMapKey(ref);
  }

  getNamespace(name: string): Promise<NamespaceInfo | undefined> {
    return this.reads.getNamespace(name);
  }

  // Writes (KubernetesWrites.ts)

  createSecret(
    secret: KubernetesSecret,
    options?: SecretWriteOptions,
  ): Promise<KubernetesSecret> {
    return this.writes.createSecret(secret, options);
  }

  replaceSecret(
    secret: KubernetesSecret,
    options?: SecretWriteOptions,
  ): Promise<KubernetesSecret> {
    return this.writes.replaceSecret(secret, options);
  }

  deleteSecret(
    namespace: string,
    name: string,
    options: DeleteSecretOptions = {},
  ): Promise<boolean> {
    return this.writes.deleteSecret(namespace, name, options);
  }

  replaceExternalSecretStatus(
    namespace: string,
    name: string,
    status: ExternalSecretStatus,
    resourceVersion?: string,
  ): Promise<UnparsedKubernetesObject> {
    return this.writes.replaceExternalSecretStatus(
      namespace,
      name,
      status,
      resourceVersion,
    );
  }

  replaceSecretStoreStatus(
    kind: StoreKind,
    namespace: string,
    name: string,
    status: NonNullable<SecretStore['status']>,
    resourceVersion: string,
  ): Promise<UnparsedKubernetesObject> {
    return this.writes.replaceSecretStoreStatus(
      kind,
      namespace,
      name,
      status,
      resourceVersion,
    );
  }

  createEvent(event: CoreV1Event): Promise<void> {
    return this.writes.createEvent(event);
  }

  patchExternalSecretAnnotations(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
  ): Promise<UnparsedKubernetesObject> {
    return this.writes.patchExternalSecretAnnotations(
      namespace,
      name,
      annotations,
    );
  }

  listWorkloads(
    kind: WorkloadKind,
    namespace: string,
  ): Promise<WorkloadObject[]> {
    return this.workloads.listWorkloads(kind, namespace);
  }

  listPods(namespace: string, labelSelector: string): Promise<PodStart[]> {
    return this.workloads.listPods(namespace, labelSelector);
  }

  patchPodTemplateAnnotations(
    kind: Exclude<WorkloadKind, 'CronJob'>,
    namespace: string,
    name: string,
    annotations: Record<string, string>,
  ): Promise<void> {
    return this.workloads.patchPodTemplateAnnotations(
      kind,
      namespace,
      name,
      annotations,
    );
  }
}
