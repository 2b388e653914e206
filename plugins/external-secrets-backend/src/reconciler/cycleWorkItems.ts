import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { CatalogBinding } from '../catalog/CatalogSource';
import { ManifestSource } from '../catalog/ManifestSource';
import { BindingIndex } from './BindingIndex';
import {
  ClusterInventory,
  loadNamespaces,
  readClusterInventory,
  readDueInventory,
} from './ClusterInventory';
import { ClusterRegistry } from './ClusterRegistry';
import { CycleScope } from './CycleScope';
import { storesNeedNamespaces } from './storeConditions';
import { WorkItem, workItemKey } from './WorkItem';

/**
 * What a cycle reads from its clusters: the whole inventory of each cluster
 * in scope, or only the due ExternalSecrets of a watch-triggered cycle.
 */
export async function loadInventories(
  clusters: ClusterRegistry,
  scope?: CycleScope,
): Promise<ClusterInventory[]> {
  return Promise.all(
    clusters
      .list()
      .filter(({ config }) => !scope || config.name === scope.cluster)
      .map(({ config, client }) =>
        scope?.only
          ? readDueInventory(config, client, scope.only)
          : readClusterInventory(config, client),
      ),
  );
}

/**
 * The cycle's work: each ExternalSecret once, with every entity that claims
 * it. CRs found in the clusters are claimed by every binding that selects
 * them; declared manifests by their declaring entity only. Loads the
 * namespaces that store conditions need.
 */
export async function collectWorkItems(options: {
  bindings: CatalogBinding[];
  inventories: ClusterInventory[];
  manifests: ManifestSource;
  configStores: SecretStore[];
  scope?: CycleScope;
}): Promise<WorkItem[]> {
  const { bindings, inventories, scope } = options;
  const items = new Map<string, WorkItem>();
  const add = (item: WorkItem) => {
    const key = workItemKey({ cluster: item.inventory.config.name, ...item });
    if (items.has(key)) return;
    // A declared manifest is claimed by the entity that declares it, only.
    items.set(
      key,
      item.origin === 'manifest'
        ? { ...item, claimants: [item.entityRef] }
        : item,
    );
  };
  const index = new BindingIndex(bindings);
  for (const inventory of inventories) {
    for (const raw of inventory.externalSecrets) {
      const namespace = raw.metadata.namespace ?? '';
      // Not exclusive: every entity whose binding selects the CR sees it.
      const claimants = index
        .claimants({
          cluster: inventory.config.name,
          namespace,
          labels: raw.metadata.labels,
        })
        .map(c => c.binding.entityRef);
      if (claimants.length === 0) continue;
      add({
        entityRef: claimants[0],
        claimants,
        origin: 'cluster',
        inventory,
        namespace,
        name: raw.metadata.name,
        raw,
      });
    }
  }
  for (const { entity, binding } of bindings) {
    // Declared manifests are not watched: the periodic cycle reads them.
    if (scope?.only || binding.manifestLocations.length === 0) continue;
    for (const item of await options.manifests.items(
      entity,
      binding,
      inventories,
    ))
      add(item);
  }
  await Promise.all(
    inventories.map(inventory => {
      // ESO reads the namespace of every ExternalSecret whose
      // ClusterSecretStore has conditions (app-config ones included).
      const conditional = storesNeedNamespaces([
        ...inventory.stores,
        ...options.configStores,
      ]);
      if (!conditional) return undefined;
      return loadNamespaces(
        inventory,
        [...items.values()]
          .filter(i => i.inventory === inventory && !i.error)
          .map(i => i.namespace),
      );
    }),
  );
  return [...items.values()];
}
