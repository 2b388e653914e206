/**
 * Conversions between the client library's typed objects and the plain shapes
 * of the ClusterClient seam.
 */
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { V1ObjectMeta, V1Secret } from '@kubernetes/client-node';
import { managedKeysOf } from './externalSecretFieldManager';
import { KubernetesSecret, ObjectMetadata } from './types';

/** RFC 3339 without milliseconds, as the apiserver writes timestamps. */
function toTimestamp(date: Date | string | undefined): string | undefined {
  if (date === undefined) return undefined;
  if (typeof date === 'string') return date;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** @internal */
export function toObjectMetadata(
  meta: V1ObjectMeta | undefined,
): ObjectMetadata {
  const m = meta ?? {};
  const metadata: ObjectMetadata = { name: m.name ?? '' };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  if (m.uid !== undefined) metadata.uid = m.uid;
  if (m.resourceVersion !== undefined)
    metadata.resourceVersion = m.resourceVersion;
  if (m.generation !== undefined) metadata.generation = m.generation;
  if (m.labels !== undefined) metadata.labels = m.labels;
  if (m.annotations !== undefined) metadata.annotations = m.annotations;
  if (m.finalizers !== undefined) metadata.finalizers = m.finalizers;
  if (m.ownerReferences !== undefined) {
    metadata.ownerReferences = m.ownerReferences.map(ref => ({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      uid: ref.uid,
      ...(ref.controller !== undefined && { controller: ref.controller }),
      ...(ref.blockOwnerDeletion !== undefined && {
        blockOwnerDeletion: ref.blockOwnerDeletion,
      }),
    }));
  }
  const created = toTimestamp(m.creationTimestamp);
  if (created) metadata.creationTimestamp = created;
  const deleted = toTimestamp(m.deletionTimestamp);
  if (deleted) metadata.deletionTimestamp = deleted;
  return metadata;
}

/** @internal */
export function fromV1Secret(secret: V1Secret): KubernetesSecret {
  const metadata = toObjectMetadata(secret.metadata);
  const data: Record<string, SecretValue> = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    data[key] = SecretValue.fromBase64(value);
  }
  const managedKeys = managedKeysOf(secret.metadata?.managedFields);
  return {
    metadata: { ...metadata, namespace: metadata.namespace ?? '' },
    ...(secret.type !== undefined && { type: secret.type }),
    data,
    ...(secret.immutable !== undefined && { immutable: secret.immutable }),
    ...(Object.keys(managedKeys).length > 0 && { managedKeys }),
  };
}

/**
 * The wire form of a Secret to write. Server-owned fields (uid, timestamps,
 * generation) are never sent; resourceVersion only when asked for.
 *
 * @internal
 */
export function toV1Secret(
  secret: KubernetesSecret,
  options: { withResourceVersion: boolean },
): V1Secret {
  const { metadata } = secret;
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data)) {
    data[key] = value.base64();
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      ...(metadata.labels && { labels: metadata.labels }),
      ...(metadata.annotations && { annotations: metadata.annotations }),
      ...(metadata.ownerReferences && {
        ownerReferences: metadata.ownerReferences,
      }),
      ...(metadata.finalizers && { finalizers: metadata.finalizers }),
      ...(options.withResourceVersion && {
        resourceVersion: metadata.resourceVersion,
      }),
    },
    type: secret.type ?? 'Opaque',
    data,
    ...(secret.immutable !== undefined && { immutable: secret.immutable }),
  };
}
