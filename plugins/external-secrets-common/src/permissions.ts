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
 * Read the configured stores, their validation state and their key NAMES (admin).
 * @public
 */
export const externalSecretsStoresReadPermission = createPermission({
  name: 'external-secrets.stores.read',
  attributes: { action: 'read' },
});

/**
 * List the remote key NAMES of a store (never values): the scaffolder field
 * picker and the `external-secrets:create` action's `validateRemoteKeys` use it.
 * Separate from stores.read so a policy can grant it to template authors.
 * @public
 */
export const externalSecretsStoreKeysReadPermission = createPermission({
  name: 'external-secrets.stores.keys.read',
  attributes: { action: 'read' },
});

/**
 * Read the catalog-wide overview: counts by state and failing mappings (admin).
 * @public
 */
export const externalSecretsOverviewReadPermission = createPermission({
  name: 'external-secrets.overview.read',
  attributes: { action: 'read' },
});

/** @public */
export const externalSecretsPermissions = [
  externalSecretsEntityReadPermission,
  externalSecretsEntitySyncPermission,
  externalSecretsStoresReadPermission,
  externalSecretsStoreKeysReadPermission,
  externalSecretsOverviewReadPermission,
];
