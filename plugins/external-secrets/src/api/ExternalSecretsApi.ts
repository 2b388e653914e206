import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  EntityEventsResponse,
  EntityStatusResponse,
  OverviewResponse,
  RestartRequest,
  RestartResponse,
  StoreKeysResponse,
  StoresResponse,
  SyncRequest,
  SyncResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/**
 * The `/api/external-secrets` REST API as the frontend sees it. Every call
 * rejects with a `ResponseError` (status code, server message) on a non-2xx.
 *
 * @public
 */
export interface ExternalSecretsApi {
  /** The entity's ExternalSecrets with per-key sync state. */
  getEntityStatus(entityRef: CompoundEntityRef): Promise<EntityStatusResponse>;
  /** Recent sync events of the entity, newest first. */
  getEntityEvents(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<EntityEventsResponse>;
  /** Sync now: resolves with what was requested; rejects with 429 when rate limited. */
  syncEntity(
    entityRef: CompoundEntityRef,
    request?: SyncRequest,
  ): Promise<SyncResponse>;
  /**
   * Restart now: rolls one workload reading a synced Secret whose pods run
   * data from before its last change. Rejects with 403 (permission, or
   * restarts off in the cluster), 409 (nothing stale, paused), 429 (budget).
   */
  restartConsumer(
    entityRef: CompoundEntityRef,
    request: RestartRequest,
  ): Promise<RestartResponse>;
  /** Stores with their Ready state and last validation (admin). */
  getStores(): Promise<StoresResponse>;
  /**
   * The remote key NAMES a store can read (never values), for pickers. Rejects
   * with 403 without `external-secrets.stores.keys.read`, 404 for an unknown
   * store, and with the server's reason when the store is not Ready.
   */
  listStoreKeys(store: StoreLocator): Promise<StoreKeysResponse>;
  /** Counts by state across the catalog and the failing mappings (admin). */
  getOverview(): Promise<OverviewResponse>;
  /** Readiness of the backend plugin. */
  getHealth(): Promise<{ status: 'ok' }>;
}

/**
 * Where a store lives, as `GET /stores` lists it. `cluster` is empty for
 * stores declared in app-config; `namespace` is empty or
 * absent for cluster-scoped stores (ClusterSecretStore, app-config stores).
 *
 * @public
 */
export type StoreLocator = {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
};

/**
 * The utility API reference of {@link ExternalSecretsApi}.
 *
 * @public
 */
export const externalSecretsApiRef = createApiRef<ExternalSecretsApi>({
  id: 'plugin.external-secrets.service',
});
