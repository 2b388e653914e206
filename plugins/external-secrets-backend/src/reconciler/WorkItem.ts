import { ClusterInventory } from './ClusterInventory';

/** One ExternalSecret to handle this cycle, tied to the entity that claims it. */
export type WorkItem = {
  entityRef: string;
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
