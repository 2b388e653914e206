import type { ExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { formatGoStringMap, sha3Hex224 } from './goObjectHash';

/**
 * ESO's `status.syncedResourceVersion` for an ExternalSecret:
 * `<metadata.generation>-<hash of labels and annotations>`, where the hash is
 * `ObjectHash(struct{annotations, labels})` (ESO's `ctrlutil.GetResourceVersion`).
 * Any spec change (new generation) or label/annotation change, including the
 * `force-sync` annotation, changes it and so makes the ExternalSecret due.
 *
 * @public
 */
export function syncedResourceVersion(externalSecret: ExternalSecret): string {
  const { generation, annotations, labels } = externalSecret.metadata;
  const text = `{annotations:${formatGoStringMap(
    annotations,
  )} labels:${formatGoStringMap(labels)}}`;
  return `${generation ?? 0}-${sha3Hex224(text)}`;
}
