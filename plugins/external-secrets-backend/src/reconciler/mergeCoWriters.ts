import { UnparsedKubernetesObject } from '../kubernetes/types';
import { ClusterInventory } from './ClusterInventory';
import { MergeWriter } from './mergeConflicts';

/** Per inventory (one cycle's listing): `namespace/secret` → its Merge writers. */
const indexes = new WeakMap<ClusterInventory, Map<string, MergeWriter[]>>();

/**
 * The ExternalSecrets listed this cycle that write `namespace/secretName`
 * with creationPolicy Merge, but `self`: the only ones that can hold one of
 * its keys. Indexed once per cycle, so a namespace with many of them is not
 * scanned once per ExternalSecret.
 */
export function mergeCoWriters(
  inventory: ClusterInventory,
  namespace: string,
  secretName: string,
  self: string,
): MergeWriter[] {
  let index = indexes.get(inventory);
  if (!index) {
    index = indexMergeWriters(
      inventory.listedExternalSecrets ?? inventory.externalSecrets,
    );
    indexes.set(inventory, index);
  }
  return (index.get(`${namespace}/${secretName}`) ?? []).filter(
    w => w.name !== self,
  );
}

function indexMergeWriters(
  listed: UnparsedKubernetesObject[],
): Map<string, MergeWriter[]> {
  const index = new Map<string, MergeWriter[]>();
  for (const raw of listed) {
    const target = (
      raw.spec as { target?: Record<string, unknown> } | undefined
    )?.target;
    if (target?.creationPolicy !== 'Merge') continue;
    const { name, namespace = '', creationTimestamp = '' } = raw.metadata;
    // ESO: an empty target.name names the Secret after the ExternalSecret.
    const secret =
      typeof target.name === 'string' && target.name ? target.name : name;
    const key = `${namespace}/${secret}`;
    index.set(key, [
      ...(index.get(key) ?? []),
      { name, created: creationTimestamp },
    ]);
  }
  return index;
}
