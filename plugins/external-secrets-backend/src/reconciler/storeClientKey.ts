/**
 * Identity of a store as one cycle uses it: one provider client per key.
 * Config stores are keyed per cluster because their Kubernetes-backed
 * credentials (service account tokens) are resolved in that cluster.
 */
export function storeClientKey(store: {
  cluster: string;
  origin: 'config' | 'cluster';
  kind: string;
  /** The namespace of a SecretStore; ignored for cluster-scoped stores. */
  namespace: string;
  name: string;
}): string {
  return [
    store.cluster,
    store.origin,
    store.kind,
    store.kind === 'SecretStore' ? store.namespace : '',
    store.name,
  ].join('|');
}
