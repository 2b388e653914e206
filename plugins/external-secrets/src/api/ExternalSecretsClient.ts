import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  ExternalSecretsBackendClient,
  type EntityEventsResponse,
  type EntityStatusResponse,
  type OverviewResponse,
  type RestartRequest,
  type RestartResponse,
  type StoreKeysResponse,
  type StoresResponse,
  type SyncRequest,
  type SyncResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { ExternalSecretsApi, StoreLocator } from './ExternalSecretsApi';

/**
 * {@link ExternalSecretsApi} over HTTP: the common package's
 * `ExternalSecretsBackendClient` with the discovery API for the base URL and
 * the fetch API (which adds the user's token) for requests. Non-2xx answers
 * become `ResponseError`s carrying the status and the server's message.
 *
 * @public
 */
export class ExternalSecretsClient implements ExternalSecretsApi {
  private readonly client: ExternalSecretsBackendClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new ExternalSecretsBackendClient(options);
  }

  /** {@inheritDoc ExternalSecretsApi.getEntityStatus} */
  getEntityStatus(entityRef: CompoundEntityRef): Promise<EntityStatusResponse> {
    return this.client.getEntityStatus(entityRef);
  }

  /** {@inheritDoc ExternalSecretsApi.getEntityEvents} */
  getEntityEvents(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<EntityEventsResponse> {
    return this.client.getEntityEvents(entityRef, options);
  }

  /** {@inheritDoc ExternalSecretsApi.syncEntity} */
  syncEntity(
    entityRef: CompoundEntityRef,
    request: SyncRequest = {},
  ): Promise<SyncResponse> {
    return this.client.syncEntity(entityRef, request);
  }

  /** {@inheritDoc ExternalSecretsApi.restartConsumer} */
  restartConsumer(
    entityRef: CompoundEntityRef,
    request: RestartRequest,
  ): Promise<RestartResponse> {
    return this.client.restartConsumer(entityRef, request);
  }

  /** {@inheritDoc ExternalSecretsApi.getStores} */
  getStores(): Promise<StoresResponse> {
    return this.client.listStores();
  }

  /** {@inheritDoc ExternalSecretsApi.listStoreKeys} */
  listStoreKeys(store: StoreLocator): Promise<StoreKeysResponse> {
    return this.client.listStoreKeys(store);
  }

  /** {@inheritDoc ExternalSecretsApi.getOverview} */
  getOverview(): Promise<OverviewResponse> {
    return this.client.getOverview();
  }

  /** {@inheritDoc ExternalSecretsApi.getHealth} */
  getHealth(): Promise<{ status: 'ok' }> {
    return this.client.getHealth();
  }
}
