/**
 * The Kubernetes object shapes that cross the ClusterClient seam. They are
 * plain data (no client-library classes, dates as RFC 3339 strings), except
 * Secret values, which travel as `SecretValue` so a logged Secret prints
 * `[redacted]`.
 */
import type { KubernetesObjectMeta } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { ManagedKeysByManager } from './externalSecretFieldManager';

/** Object metadata as the plugin reads it. @public */
export type ObjectMetadata = KubernetesObjectMeta & {
  /** RFC 3339, e.g. `2026-01-01T00:00:00Z`. */
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
};

/**
 * An object as the apiserver returned it, not yet validated: the ESO parser in
 * `-common` turns it into a typed ExternalSecret / SecretStore.
 *
 * @public
 */
export type UnparsedKubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetadata;
  [field: string]: unknown;
};

/**
 * A core/v1 Secret. `data` maps keys to their decoded bytes in `SecretValue`s
 * (`.base64()` gives the wire form). On write, `data` is the whole content.
 *
 * @public
 */
export type KubernetesSecret = {
  metadata: ObjectMetadata & { namespace: string };
  /** Default `Opaque`. */
  type?: string;
  data: Record<string, SecretValue>;
  immutable?: boolean;
  /**
   * Read only: the label, annotation and data key names each ExternalSecret
   * field manager owns (`metadata.managedFields`), never sent on a write.
   */
  managedKeys?: ManagedKeysByManager;
};

/** Labels of a Namespace (for ClusterSecretStore `namespaceSelector`s). @public */
export type NamespaceInfo = {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};
