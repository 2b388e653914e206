import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { StoreStatusRecord } from '../database/StatusStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterInventory } from './ClusterInventory';

/** A store a cycle may validate: app-config, cluster, or unreadable manifest. */
export type StoreToValidate = {
  record: Pick<
    StoreStatusRecord,
    'cluster' | 'kind' | 'namespace' | 'name' | 'origin'
  >;
  store?: SecretStore;
  cluster?: ClusterClient;
  /** Parse issues of a store that could not be read. */
  invalid?: string;
  /**
   * A store ESO validates (observe-mode cluster, or a store of another
   * controller class where ESO runs): we only report its Ready condition.
   */
  observed?: boolean;
};

/**
 * Every store a cycle may validate: app-config stores (validated through the
 * first readable reconcile-mode cluster), each cluster's stores, and the
 * store manifests a cluster holds that could not be parsed.
 */
export function storesToValidate(options: {
  inventories: ClusterInventory[];
  configStores: SecretStore[];
  controllerClass: string;
}): StoreToValidate[] {
  const targets: StoreToValidate[] = [];
  // Never an observe-mode cluster: there no Secret data is read at all.
  const contextCluster = options.inventories.find(
    i => !i.error && i.config.mode === 'reconcile',
  )?.client;
  for (const store of options.configStores) {
    targets.push({
      record: recordOf('', 'config', store),
      store,
      cluster: contextCluster,
    });
  }
  for (const inventory of options.inventories) {
    for (const store of inventory.stores) {
      targets.push({
        record: recordOf(inventory.config.name, 'cluster', store),
        store,
        cluster: inventory.client,
        observed: leftToEso(inventory, store, options.controllerClass),
      });
    }
    for (const invalid of inventory.invalidStores) {
      targets.push({
        record: {
          cluster: inventory.config.name,
          kind:
            invalid.kind === 'ClusterSecretStore'
              ? 'ClusterSecretStore'
              : 'SecretStore',
          namespace:
            invalid.kind === 'ClusterSecretStore' ? '' : invalid.namespace,
          name: invalid.name,
          origin: 'cluster',
        },
        invalid: invalid.issues.map(i => i.message).join('; '),
      });
    }
  }
  return targets;
}

/**
 * Validating a store logs in with its credentials: never for a store ESO
 * owns, as on a cluster it shares with us only stores of our class are ours.
 */
function leftToEso(
  inventory: ClusterInventory,
  store: SecretStore,
  controllerClass: string,
): boolean {
  const cluster = inventory.config;
  if (cluster.mode === 'observe') return true;
  if (cluster.esoFree) return false;
  const ourClass = cluster.controllerClass ?? controllerClass;
  return (store.spec.controller ?? '') !== ourClass;
}

function recordOf(
  cluster: string,
  origin: 'config' | 'cluster',
  store: SecretStore,
): StoreToValidate['record'] {
  return {
    cluster,
    kind: store.kind,
    namespace:
      store.kind === 'ClusterSecretStore' ? '' : store.metadata.namespace ?? '',
    name: store.metadata.name,
    origin,
  };
}

export function storeKey(s: {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}) {
  return `${s.cluster}/${s.kind}/${s.namespace}/${s.name}`;
}
