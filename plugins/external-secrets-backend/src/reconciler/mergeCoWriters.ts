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
    const merge = mergeTargetOf(raw);
    if (!merge) continue;
    const key = `${merge.namespace}/${merge.secret}`;
    index.set(key, [...(index.get(key) ?? []), merge.writer]);
  }
  return index;
}

/**
 * The Secret an ExternalSecret (as listed, or a declared manifest) writes
 * with creationPolicy Merge, and who it is; undefined for any other policy or
 * an object too broken to tell.
 */
export function mergeTargetOf(
  raw: unknown,
): { namespace: string; secret: string; writer: MergeWriter } | undefined {
  const object = raw as
    | {
        metadata?: Partial<UnparsedKubernetesObject['metadata']>;
        spec?: { target?: Record<string, unknown> };
      }
    | undefined;
  const target = object?.spec?.target;
  const name = object?.metadata?.name;
  if (target?.creationPolicy !== 'Merge' || typeof name !== 'string') {
    return undefined;
  }
  const { namespace = '', creationTimestamp = '' } = object!.metadata!;
  // ESO: an empty target.name names the Secret after the ExternalSecret.
  const secret =
    typeof target.name === 'string' && target.name ? target.name : name;
  return { namespace, secret, writer: { name, created: creationTimestamp } };
}
