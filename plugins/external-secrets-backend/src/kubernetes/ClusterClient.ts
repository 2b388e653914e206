import type {
  ExternalSecretStatus,
  SecretStore,
  StoreKind,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type {
  PodStart,
  SecretValue,
  WorkloadKind,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { ClusterWatcher } from './ClusterWatcher';
import type {
  KubernetesSecret,
  NamespaceInfo,
  ObjectMetadata,
  UnparsedKubernetesObject,
} from './types';

/** @public */
export type ListExternalSecretsOptions = {
  /** Omit to list across all namespaces (one request for the cluster). */
  namespace?: string;
  /** A Kubernetes label selector, e.g. `backstage.io/kubernetes-id=web`. */
  labelSelector?: string;
};

/** @public */
export type ListSecretsMetadataOptions = {
  namespace: string;
  labelSelector?: string;
};

/** @public */
export type DeleteSecretOptions = {
  /** Delete only if the Secret still has this resourceVersion (else CONFLICT). */
  resourceVersion?: string;
};

/** @public */
export type SecretWriteOptions = {
  /**
   * The field manager the write is recorded under in `managedFields`: the
   * ExternalSecret's own (ESO's `externalsecrets.external-secrets.io/<name>`)
   * for its target Secret; the plugin's shared name when absent.
   */
  fieldManager?: string;
};

/** `{namespace, name, key}` of a Secret or ConfigMap key. @public */
export type ObjectKeyRef = {
  namespace: string;
  name: string;
  key: string;
};

/**
 * The plugin's only door to Kubernetes: one instance per cluster. Every method
 * either resolves or rejects with a `ClusterError` (typed errorType, HTTP
 * status, cluster, verb, resource path, apiserver message); none of them puts a
 * Secret value into an error, and only `getSecret`/`readSecretKey` return values.
 *
 * Lists are one request per namespace, or per cluster without a namespace
 * (paged transparently), never a get per object.
 *
 * @public
 */
export interface ClusterClient {
  /** The configured cluster name. */
  readonly clusterName: string;

  /** Releases pooled connections (backend shutdown). */
  close?(): void;

  /**
   * Watches of the cluster's changes. Without one (a test double), the
   * cluster is reconciled by the periodic cycle only.
   */
  readonly watcher?: ClusterWatcher;

  /** ExternalSecrets (`external-secrets.io/v1`), raw, for the ESO parser. */
  listExternalSecrets(
    options?: ListExternalSecretsOptions,
  ): Promise<UnparsedKubernetesObject[]>;

  /** SecretStores in one namespace, or in all namespaces. */
  listSecretStores(options?: {
    namespace?: string;
  }): Promise<UnparsedKubernetesObject[]>;

  listClusterSecretStores(): Promise<UnparsedKubernetesObject[]>;

  /** The whole Secret with its values, or undefined when it does not exist. */
  getSecret(
    namespace: string,
    name: string,
  ): Promise<KubernetesSecret | undefined>;

  /**
   * The Secrets of a namespace WITH their values, one list request (paged).
   * Reconcile mode reads the Secrets it manages this way
   * (`labelSelector: reconcile.external-secrets.io/managed=true`), never a get
   * per Secret.
   */
  listSecrets(options: ListSecretsMetadataOptions): Promise<KubernetesSecret[]>;

  /**
   * Metadata of the Secrets in a namespace, fetched as PartialObjectMetadata so
   * no value leaves the apiserver (observe mode).
   */
  listSecretsMetadata(
    options: ListSecretsMetadataOptions,
  ): Promise<ObjectMetadata[]>;

  /** Metadata of one Secret (PartialObjectMetadata), or undefined when absent. */
  getSecretMetadata(
    namespace: string,
    name: string,
  ): Promise<ObjectMetadata | undefined>;

  /** Creates a Secret; CONFLICT (`alreadyExists`) when it exists. */
  createSecret(
    secret: KubernetesSecret,
    options?: SecretWriteOptions,
  ): Promise<KubernetesSecret>;

  /**
   * Replaces a Secret. `metadata.resourceVersion` is required: a stale one is a
   * CONFLICT, so a concurrent writer is never overwritten.
   */
  replaceSecret(
    secret: KubernetesSecret,
    options?: SecretWriteOptions,
  ): Promise<KubernetesSecret>;

  /** Deletes a Secret; resolves false when it was already gone. */
  deleteSecret(
    namespace: string,
    name: string,
    options?: DeleteSecretOptions,
  ): Promise<boolean>;

  /**
   * Writes `status` through the status subresource. With a resourceVersion, a
   * stale one is a CONFLICT; without, the current object is read first and its
   * resourceVersion used (last writer wins on status).
   */
  replaceExternalSecretStatus(
    namespace: string,
    name: string,
    status: ExternalSecretStatus,
    resourceVersion?: string,
  ): Promise<UnparsedKubernetesObject>;

  /**
   * Writes a store's `status` through its status subresource at
   * `resourceVersion` (a stale one is a CONFLICT). Only for stores we control.
   */
  replaceSecretStoreStatus(
    kind: StoreKind,
    namespace: string,
    name: string,
    status: NonNullable<SecretStore['status']>,
    resourceVersion: string,
  ): Promise<UnparsedKubernetesObject>;

  /** Creates a core v1 Event on an object (needs `create` on `events`). */
  createEvent(event: CoreV1Event): Promise<void>;

  /** Merge-patches annotations (`null` removes one); used for force-sync. */
  patchExternalSecretAnnotations(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
  ): Promise<UnparsedKubernetesObject>;

  /** One key of a Secret; NOT_FOUND names the missing Secret or key. */
  readSecretKey(ref: ObjectKeyRef): Promise<SecretValue>;

  /**
   * A ConfigMap's `data` (and `binaryData` decoded as UTF-8), or undefined
   * when it does not exist (templateFrom.configMap).
   */
  getConfigMap(
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined>;

  /** One key of a ConfigMap (`data`, or `binaryData` decoded as UTF-8). */
  readConfigMapKey(ref: ObjectKeyRef): Promise<string>;

  /** A Namespace's labels, or undefined when it does not exist. */
  getNamespace(name: string): Promise<NamespaceInfo | undefined>;

  /**
   * The workloads of one kind in a namespace, one list request (paged),
   * reduced to metadata, selector and the pod template's Secret references
   * (literal env values are dropped). Rollout `observe`/`restart` only.
   */
  listWorkloads(
    kind: WorkloadKind,
    namespace: string,
  ): Promise<WorkloadObject[]>;

  /** Pods matching a label selector: name, phase, start time. */
  listPods(namespace: string, labelSelector: string): Promise<PodStart[]>;

  /**
   * Merge-patches the workload's pod template annotations, which rolls its
   * pods (Reloader's annotation strategy). Rollout `restart` only.
   */
  patchPodTemplateAnnotations(
    kind: Exclude<WorkloadKind, 'CronJob'>,
    namespace: string,
    name: string,
    annotations: Record<string, string>,
  ): Promise<void>;
}
