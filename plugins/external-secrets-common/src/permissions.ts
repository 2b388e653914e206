import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read an entity's ExternalSecret mappings, sync status and events. A resource
 * permission on `catalog-entity`, checked with the requesting user's credentials,
 * so a policy can say "owners only".
 * @public
 */
export const externalSecretsEntityReadPermission = createPermission({
  name: 'external-secrets.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Trigger "sync now" for an entity's ExternalSecrets.
 * @public
 */
export const externalSecretsEntitySyncPermission = createPermission({
  name: 'external-secrets.entity.sync',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * "Restart now": roll a workload that reads one of the entity's synced
 * Secrets and still runs data from before its last change (clusters with
 * `rollout: restart`). Separate from sync, because it restarts pods.
 * @public
 */
export const externalSecretsEntityRestartPermission = createPermission({
  name: 'external-secrets.entity.restart',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Read the configured stores, their validation state and their key NAMES (admin).
 * @public
 */
export const externalSecretsStoresReadPermission = createPermission({
  name: 'external-secrets.stores.read',
  attributes: { action: 'read' },
});

/**
 * The resource type of a SecretStore / ClusterSecretStore (in a cluster or
 * app-config), for permissions decided per store.
 * @public
 */
export const EXTERNAL_SECRETS_STORE_RESOURCE_TYPE = 'external-secrets-store';

/**
 * A store as permissions name it: `<cluster>/<kind>/<namespace>/<name>`, with
 * `-` for an empty cluster (app-config stores) or namespace
 * (ClusterSecretStores), the same segments as the REST paths:
 * `prod/ClusterSecretStore/-/infisical`, `-/ClusterSecretStore/-/demo`,
 * `prod/SecretStore/team-a/vault`.
 * @public
 */
export function storeResourceRef(store: {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}): string {
  return [
    store.cluster || '-',
    store.kind,
    store.namespace || '-',
    store.name,
  ].join('/');
}

/**
 * The store a {@link storeResourceRef} names, or undefined when it is not one.
 * @public
 */
export function parseStoreResourceRef(
  ref: string,
):
  | { cluster: string; kind: string; namespace: string; name: string }
  | undefined {
  const parts = ref.split('/');
  if (parts.length !== 4 || parts.some(part => part === '')) return undefined;
  const [cluster, kind, namespace, name] = parts;
  if (kind !== 'SecretStore' && kind !== 'ClusterSecretStore') return undefined;
  return {
    cluster: cluster === '-' ? '' : cluster,
    kind,
    namespace: namespace === '-' ? '' : namespace,
    name,
  };
}

/**
 * List the remote key NAMES of a store (never values): the scaffolder field
 * picker and the `external-secrets:create` action's `validateRemoteKeys` use it.
 * A resource permission on `external-secrets-store` (resourceRef from
 * {@link storeResourceRef}), so a policy can grant it per store, e.g. a team's
 * template authors for the team's stores only. Separate from stores.read.
 * @public
 */
export const externalSecretsStoreKeysReadPermission = createPermission({
  name: 'external-secrets.stores.keys.read',
  attributes: { action: 'read' },
  resourceType: EXTERNAL_SECRETS_STORE_RESOURCE_TYPE,
});

/**
 * Read the catalog-wide overview: counts by state and failing mappings (admin).
 * @public
 */
export const externalSecretsOverviewReadPermission = createPermission({
  name: 'external-secrets.overview.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the plugin, for registering with the permission framework.
 *
 * @public
 */
export const externalSecretsPermissions = [
  externalSecretsEntityReadPermission,
  externalSecretsEntitySyncPermission,
  externalSecretsEntityRestartPermission,
  externalSecretsStoresReadPermission,
  externalSecretsStoreKeysReadPermission,
  externalSecretsOverviewReadPermission,
];
