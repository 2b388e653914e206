import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** Separates a store's key from the namespace its credentials are read in. */
const CREDENTIALS_IN = '|credentials-in:';

/**
 * Identity of a store as one cycle uses it: one provider client per key, so
 * two keys never share a token, a snapshot or a read.
 *
 * A SecretStore is keyed with its namespace. A ClusterSecretStore whose
 * credentials resolve in each ExternalSecret's namespace (see
 * `readsCredentialsPerNamespace`) is keyed with that namespace too
 * (`credentialNamespace`): every namespace brings its own identity, and the
 * first namespace's client must never read for the next one. Other
 * ClusterSecretStores keep one key for every namespace, so their reads batch
 * into one list per scope. Config stores are keyed per cluster because their
 * Kubernetes-backed credentials are resolved in that cluster.
 */
export function storeClientKey(store: {
  cluster: string;
  origin: 'config' | 'cluster';
  kind: string;
  /** The namespace of a SecretStore; ignored for cluster-scoped stores. */
  namespace: string;
  name: string;
  /** For a ClusterSecretStore: the namespace its credentials are read in, when that is per ExternalSecret. */
  credentialNamespace?: string;
}): string {
  const key = [
    store.cluster,
    store.origin,
    store.kind,
    store.kind === 'SecretStore' ? store.namespace : '',
    store.name,
  ].join('|');
  return store.kind === 'ClusterSecretStore' &&
    store.credentialNamespace !== undefined
    ? `${key}${CREDENTIALS_IN}${store.credentialNamespace}`
    : key;
}

/** The store's own key (as store validation builds it) from a client key. */
export function withoutCredentialNamespace(clientKey: string): string {
  const at = clientKey.indexOf(CREDENTIALS_IN);
  return at < 0 ? clientKey : clientKey.slice(0, at);
}

/**
 * Whether a ClusterSecretStore reads its credentials in the namespace of each
 * ExternalSecret that uses it (ESO's behaviour for a secretRef without
 * `namespace`). Any object of the provider spec shaped like a
 * SecretKeySelector (`{name, key}` strings) without a namespace counts, so
 * this holds for every provider without knowing its auth fields; a false
 * positive costs batching, never isolation.
 */
export function readsCredentialsPerNamespace(store: SecretStore): boolean {
  if (store.kind !== 'ClusterSecretStore') return false;
  return Object.values(store.spec.provider).some(hasSelectorWithoutNamespace);
}

function hasSelectorWithoutNamespace(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSelectorWithoutNamespace);
  if (!value || typeof value !== 'object') return false;
  const object = value as Record<string, unknown>;
  if (
    typeof object.name === 'string' &&
    typeof object.key === 'string' &&
    (object.namespace === undefined || object.namespace === '')
  ) {
    return true;
  }
  return Object.values(object).some(hasSelectorWithoutNamespace);
}
