import {
  SecretStore,
  SecretStoreRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SecretsProvider } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ProviderRegistry } from './ProviderRegistry';
import { checkConditions } from './storeConditions';
import { readsCredentialsPerNamespace, storeClientKey } from './storeClientKey';

/** A store an ExternalSecret may use, with its provider. */
export type ResolvedStore = {
  store: SecretStore;
  provider: SecretsProvider;
  origin: 'cluster' | 'config';
  /** Identity of the store within the cycle (with the credentials' namespace where that varies): one client per key. */
  key: string;
  /** `Kind/name` as the reconcile core keys store readiness. */
  refKey: string;
};

export type StoreResolution =
  | { ok: true; resolved: ResolvedStore }
  | { ok: false; message: string };

/** Stores known for one cluster this cycle. */
export type StoreCatalog = {
  cluster: string;
  /** Stores found in the cluster (already parsed and valid). */
  clusterStores: SecretStore[];
  /** Stores declared in app-config (already parsed and valid). */
  configStores: SecretStore[];
  /** Labels of the cluster's namespaces, for ClusterSecretStore namespaceSelector. */
  namespaceLabels: (namespace: string) => Record<string, string> | undefined;
};

/**
 * Finds the store an ExternalSecret names, as ESO does: a SecretStore in the
 * ExternalSecret's namespace, or a ClusterSecretStore whose `spec.conditions`
 * admit that namespace. Stores in the cluster win over app-config stores of the
 * same name. Every refusal says which store and why.
 */
export function resolveStore(
  ref: SecretStoreRef,
  namespace: string,
  catalog: StoreCatalog,
  providers: ProviderRegistry,
): StoreResolution {
  const found = storeIndex(catalog).get(
    lookupKey(ref.kind, ref.kind === 'SecretStore' ? namespace : '', ref.name),
  );
  const label =
    ref.kind === 'SecretStore'
      ? `SecretStore ${namespace}/${ref.name}`
      : `ClusterSecretStore ${ref.name}`;
  if (!found) {
    return {
      ok: false,
      message: `${label} not found in cluster ${catalog.cluster} nor in app-config externalSecrets.stores`,
    };
  }
  if (ref.kind === 'ClusterSecretStore') {
    const refusal = checkConditions(
      found.store.spec.conditions,
      namespace,
      catalog.namespaceLabels(namespace),
    );
    if (refusal) return { ok: false, message: `${label} ${refusal}` };
  }
  const providerName = Object.keys(found.store.spec.provider).find(
    name => found.store.spec.provider[name] !== undefined,
  );
  const provider = providerName ? providers.get(providerName) : undefined;
  if (!provider) {
    return {
      ok: false,
      message: `${label} uses provider "${
        providerName ?? '(none)'
      }", which is not installed (installed: ${
        providers.names().join(', ') || 'none'
      })`,
    };
  }
  return {
    ok: true,
    resolved: {
      store: found.store,
      provider,
      origin: found.origin,
      key: storeClientKey({
        cluster: catalog.cluster,
        origin: found.origin,
        kind: ref.kind,
        namespace,
        name: ref.name,
        credentialNamespace: readsCredentialsPerNamespace(found.store)
          ? namespace
          : undefined,
      }),
      refKey: `${ref.kind}/${ref.name}`,
    },
  };
}

type Candidate = { store: SecretStore; origin: 'cluster' | 'config' };

/**
 * The catalog's stores by kind, namespace (SecretStores only) and name, the
 * first of a name winning as a linear search did: cluster stores before
 * app-config ones. Built once per cycle's store lists, not per ExternalSecret
 * (a cold cycle resolves a store for each of 1,000 ExternalSecrets).
 */
const indexes = new WeakMap<
  SecretStore[],
  WeakMap<SecretStore[], { size: number; index: Map<string, Candidate> }>
>();

function storeIndex(catalog: StoreCatalog): Map<string, Candidate> {
  let byConfig = indexes.get(catalog.clusterStores);
  if (!byConfig) {
    byConfig = new WeakMap();
    indexes.set(catalog.clusterStores, byConfig);
  }
  // A list that grew since (it never should) is indexed again.
  const size = catalog.clusterStores.length + catalog.configStores.length;
  const cached = byConfig.get(catalog.configStores);
  if (cached?.size === size) return cached.index;
  const index = new Map<string, Candidate>();
  const candidates: Candidate[] = [
    ...catalog.clusterStores.map(store => ({
      store,
      origin: 'cluster' as const,
    })),
    ...catalog.configStores.map(store => ({
      store,
      origin: 'config' as const,
    })),
  ];
  for (const candidate of candidates) {
    const { kind, metadata } = candidate.store;
    const namespace = kind === 'SecretStore' ? metadata.namespace ?? '' : '';
    const key = lookupKey(kind, namespace, metadata.name);
    if (!index.has(key)) index.set(key, candidate);
  }
  byConfig.set(catalog.configStores, { size, index });
  return index;
}

function lookupKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}
