import type { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** `ClusterSecretStore/name` or `SecretStore/namespace/name`, as ProviderError details expect. */
export function describeStore(store: SecretStore): string {
  const { name, namespace } = store.metadata;
  if (store.kind === 'ClusterSecretStore' || !namespace)
    return `${store.kind}/${name}`;
  return `${store.kind}/${namespace}/${name}`;
}
