import { ClusterInventory } from './ClusterInventory';

/**
 * One ExternalSecret to handle this cycle, once, whatever the number of
 * entities that claim it.
 */
export type WorkItem = {
  /** The first claimant (in entity-ref order): named in messages and events. */
  entityRef: string;
  /**
   * Every entity that claims it, `entityRef` first: each sees its status and
   * may sync it. A CR is claimed by every entity whose binding selects it; a
   * declared manifest by its declaring entity only.
   */
  claimants: string[];
  /** A CR found in the cluster, or a manifest the entity declares. */
  origin: 'cluster' | 'manifest';
  inventory: ClusterInventory;
  namespace: string;
  name: string;
  /** The object to parse: the CR as listed, or the manifest document. */
  raw: unknown;
  /** Manifest location, for messages. */
  location?: string;
  /** A problem found before parsing (bad annotation, unreadable manifest). */
  error?: string;
};

export function workItemKey(item: {
  cluster: string;
  namespace: string;
  name: string;
}) {
  return `${item.cluster}/${item.namespace}/${item.name}`;
}
