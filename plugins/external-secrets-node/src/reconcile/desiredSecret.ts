import {
  ANNOTATION_DATA_HASH,
  LABEL_CREATED_BY,
  LABEL_MANAGED,
  type ExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { SecretValue } from '../values/SecretValue';
import { computeCreatedByLabel, computeDataHash } from './computeDataHash';
import { desiredOwnerReferences, sameOwnerReferences } from './ownership';
import type { CurrentSecret, DesiredSecret } from './types';

/** Kubernetes rejects Secrets above 1 MiB. */
export const MAX_SECRET_BYTES = 1024 * 1024;

export function dataSize(data: Map<string, SecretValue>): number {
  let total = 0;
  for (const [key, value] of data)
    total += Buffer.byteLength(key) + value.byteLength;
  return total;
}

/**
 * The Secret to write, as ESO's mutation function builds it: existing labels and
 * annotations kept, the ExternalSecret's (no template) or the template's
 * labels/annotations over them, `created-by` only for Owner, the managed label and
 * the data-hash of the final data.
 */
export function buildDesiredSecret(options: {
  externalSecret: ExternalSecret;
  current: CurrentSecret | undefined;
  data: Map<string, SecretValue>;
  metadata: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
}): { desired: DesiredSecret; dataHash: string } {
  const { externalSecret, current, metadata } = options;
  const { target } = externalSecret.spec;
  const owner = target.creationPolicy === 'Owner';
  const data = Object.fromEntries(options.data);
  const dataHash = computeDataHash(data);
  const labels: Record<string, string> = {
    ...current?.metadata.labels,
    ...metadata.labels,
  };
  if (owner) {
    labels[LABEL_CREATED_BY] = computeCreatedByLabel(
      externalSecret.metadata.namespace ?? '',
      externalSecret.metadata.name,
    );
  } else {
    delete labels[LABEL_CREATED_BY];
  }
  labels[LABEL_MANAGED] = 'true';
  const annotations = {
    ...current?.metadata.annotations,
    ...metadata.annotations,
    [ANNOTATION_DATA_HASH]: dataHash,
  };
  const ownerReferences = desiredOwnerReferences(
    current?.metadata.ownerReferences,
    externalSecret,
    owner,
  );
  const finalizers = desiredFinalizers(
    current,
    target.template?.metadata?.finalizers,
  );
  const desired: DesiredSecret = {
    metadata: {
      name: target.name,
      namespace: externalSecret.metadata.namespace ?? '',
      labels,
      annotations,
      ...(ownerReferences ? { ownerReferences } : {}),
      ...(finalizers.length > 0 ? { finalizers } : {}),
    },
    type: target.template?.type || current?.type || 'Opaque',
    immutable: target.immutable || current?.immutable === true,
    data,
  };
  return { desired, dataHash };
}

/**
 * ESO's setMetadata: the Secret's finalizers stay, the template's are added
 * (controllerutil.AddFinalizer) unless the Secret is being deleted.
 */
function desiredFinalizers(
  current: CurrentSecret | undefined,
  fromTemplate: string[] | undefined,
): string[] {
  const finalizers = [...(current?.metadata.finalizers ?? [])];
  if (current?.metadata.deletionTimestamp) return finalizers;
  for (const finalizer of fromTemplate ?? [])
    if (!finalizers.includes(finalizer)) finalizers.push(finalizer);
  return finalizers;
}

function sameMap(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const x = Object.entries(a ?? {});
  return (
    x.length === Object.keys(b ?? {}).length &&
    x.every(([k, v]) => b !== undefined && Object.hasOwn(b, k) && b[k] === v)
  );
}

export function sameData(
  a: Record<string, SecretValue>,
  b: Record<string, SecretValue>,
): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(k => Object.hasOwn(b, k) && a[k].equals(b[k]))
  );
}

/**
 * True when writing `desired` would change nothing in `current`.
 *
 * @public
 */
export function isUnchanged(
  current: CurrentSecret,
  desired: DesiredSecret,
): boolean {
  return (
    sameData(current.data, desired.data) &&
    sameMap(current.metadata.labels, desired.metadata.labels) &&
    sameMap(current.metadata.annotations, desired.metadata.annotations) &&
    sameOwnerReferences(
      current.metadata.ownerReferences,
      desired.metadata.ownerReferences,
    ) &&
    (current.metadata.finalizers ?? []).join('\n') ===
      (desired.metadata.finalizers ?? []).join('\n') &&
    (current.type || 'Opaque') === desired.type &&
    (current.immutable ?? false) === desired.immutable
  );
}

/** Names of keys added/changed and removed between `current` and `next`. */
export function diffKeys(
  current: Record<string, SecretValue>,
  next: Record<string, SecretValue>,
): { changedKeys: string[]; removedKeys: string[] } {
  const changedKeys = Object.keys(next)
    .filter(k => !Object.hasOwn(current, k) || !current[k].equals(next[k]))
    .sort();
  const removedKeys = Object.keys(current)
    .filter(k => !Object.hasOwn(next, k))
    .sort();
  return { changedKeys, removedKeys };
}
