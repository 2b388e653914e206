/**
 * The Kubernetes layer: the ClusterClient seam, its client-node implementation
 * and the cluster configuration reader.
 */

export type {
  ClusterClient,
  DeleteSecretOptions,
  ListExternalSecretsOptions,
  ListSecretsMetadataOptions,
  ObjectKeyRef,
  SecretWriteOptions,
} from './ClusterClient';
export type {
  ManagedKeys,
  ManagedKeysByManager,
} from './externalSecretFieldManager';
export type {
  ClusterWatcher,
  ResourceWatch,
  WatchChange,
  WatchedResource,
  WatchListener,
} from './ClusterWatcher';
export { ClusterError, isClusterError } from './ClusterError';
export type {
  ClusterErrorCause,
  ClusterErrorDetails,
  ClusterErrorType,
  ClusterVerb,
} from './ClusterError';
export type {
  ClusterConfig,
  ClusterConfigs,
  ClusterConfigSource,
  ClusterConnection,
  ClusterMode,
  RolloutMode,
  UnusableCluster,
} from './ClusterConfig';
export { KubernetesClusterClient } from './KubernetesClusterClient';
export type { KubernetesClusterClientOptions } from './KubernetesClusterClient';
export { readClusterConfigs } from './readClusterConfigs';
export type {
  KubernetesSecret,
  NamespaceInfo,
  ObjectMetadata,
  UnparsedKubernetesObject,
} from './types';
