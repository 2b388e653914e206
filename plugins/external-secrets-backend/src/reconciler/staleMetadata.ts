import {
  ANNOTATION_DATA_HASH,
  ExternalSecret,
  LABEL_CREATED_BY,
  LABEL_MANAGED,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  CurrentSecret,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ManagedKeys } from '../kubernetes/externalSecretFieldManager';

/** Label and annotation keys (names, never values). */
export type MetadataKeys = { labels: string[]; annotations: string[] };

/** Ours whatever the spec says: the core keeps them right itself. */
const BOOKKEEPING = new Set([
  LABEL_MANAGED,
  LABEL_CREATED_BY,
  ANNOTATION_DATA_HASH,
]);

/**
 * The keys this ExternalSecret puts on its Secret: the template's metadata
 * when it has a template, else its own labels and annotations (ESO's
 * setMetadata, externalsecret_controller_template.go).
 */
export function producedMetadataKeys(es: ExternalSecret): MetadataKeys {
  const source = es.spec.target.template
    ? es.spec.target.template.metadata
    : es.metadata;
  return {
    labels: Object.keys(source?.labels ?? {}),
    annotations: Object.keys(source?.annotations ?? {}),
  };
}

/**
 * Keys this ExternalSecret wrote and no longer produces: those its field
 * manager owns in the Secret's managedFields (what ESO reads, so a Secret ESO
 * wrote is covered), and those our database recorded (Secrets written before
 * we wrote as the ExternalSecret's own field manager).
 */
export function staleKeys(
  written: MetadataKeys | undefined,
  produced: MetadataKeys,
  managed?: ManagedKeys,
): MetadataKeys {
  const gone = (before: string[], now: string[]) =>
    [...new Set(before)].filter(k => !now.includes(k) && !BOOKKEEPING.has(k));
  return {
    labels: gone(
      [...(written?.labels ?? []), ...(managed?.labels ?? [])],
      produced.labels,
    ),
    annotations: gone(
      [...(written?.annotations ?? []), ...(managed?.annotations ?? [])],
      produced.annotations,
    ),
  };
}

/**
 * ESO deletes the keys its field manager wrote before it merges the ones it
 * produces now (templating.GetManagedLabelKeys / GetManagedAnnotationKeys):
 * the core keeps every existing key, so the stale ones are taken out of what
 * it would write, and a Secret otherwise unchanged is written for them.
 */
export function withoutStaleMetadata(
  result: ReconcileResult,
  current: CurrentSecret | undefined,
  stale: MetadataKeys,
): ReconcileResult {
  const { desired } = result;
  if (!desired || !current) return result;
  const present = (map: Record<string, string> | undefined, keys: string[]) =>
    keys.some(k => map !== undefined && Object.hasOwn(map, k));
  const found =
    present(current.metadata.labels, stale.labels) ||
    present(current.metadata.annotations, stale.annotations);
  if (!found) return result;
  const drop = (map: Record<string, string>, keys: string[]) =>
    Object.fromEntries(Object.entries(map).filter(([k]) => !keys.includes(k)));
  return {
    ...result,
    action: result.action === 'none' ? 'update' : result.action,
    desired: {
      ...desired,
      metadata: {
        ...desired.metadata,
        labels: drop(desired.metadata.labels, stale.labels),
        annotations: drop(desired.metadata.annotations, stale.annotations),
      },
    },
  };
}
