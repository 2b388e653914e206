import type { StoreStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { ExternalSecretMappingsStore } from './types';

/** A stable id of a listed store, for the select's option values. */
export function storeId(store: StoreStatusDto): string {
  return [store.cluster, store.kind, store.namespace, store.name].join('/');
}

/** `ClusterSecretStore infisical` or `SecretStore payments/infisical-payments`, with the cluster when it matters. */
export function storeLabel(
  store: StoreStatusDto,
  showCluster: boolean,
): string {
  const qualified = store.namespace
    ? `${store.namespace}/${store.name}`
    : store.name;
  const where = showCluster && store.cluster ? ` (${store.cluster})` : '';
  return `${store.kind} ${qualified}${where}`;
}

/** Why a store cannot be chosen, from its recorded Ready condition. */
export function notReadyText(store: StoreStatusDto): string {
  const why = [store.reason, store.message].filter(Boolean).join(': ');
  return why ? `not ready: ${why}` : 'not ready';
}

/** The store part of the field's value: what `secretStoreRef` and the action need. */
export function toSelectedStore(
  store: StoreStatusDto,
): ExternalSecretMappingsStore {
  return {
    kind: store.kind,
    name: store.name,
    ...(store.namespace ? { namespace: store.namespace } : {}),
    ...(store.cluster ? { cluster: store.cluster } : {}),
  };
}

/** The listed store a value refers to (a value from query params may lack the cluster). */
export function findSelectedStore(
  stores: StoreStatusDto[],
  selected: ExternalSecretMappingsStore | undefined,
): StoreStatusDto | undefined {
  if (!selected) return undefined;
  return stores.find(
    store =>
      store.kind === selected.kind &&
      store.name === selected.name &&
      (store.namespace || undefined) === (selected.namespace || undefined) &&
      (!selected.cluster || store.cluster === selected.cluster),
  );
}
