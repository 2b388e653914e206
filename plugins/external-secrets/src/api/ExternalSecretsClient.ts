import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityEventsResponse,
  EntityStatusResponse,
  OverviewResponse,
  StoreKeysResponse,
  StoresResponse,
  SyncRequest,
  SyncResponse,
} from '@internal/backstage-plugin-external-secrets-common';
import type { ExternalSecretsApi, StoreLocator } from './ExternalSecretsApi';

const PLUGIN_ID = 'external-secrets';

/**
 * {@link ExternalSecretsApi} over HTTP: the base URL comes from the discovery
 * API and requests go through the fetch API (which adds the user's token).
 *
 * @public
 */
export class ExternalSecretsClient implements ExternalSecretsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getEntityStatus(entityRef: CompoundEntityRef): Promise<EntityStatusResponse> {
    return this.request(entityPath(entityRef, 'status'));
  }

  getEntityEvents(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<EntityEventsResponse> {
    const query =
      options?.limit === undefined
        ? ''
        : `?${new URLSearchParams({ limit: String(options.limit) })}`;
    return this.request(`${entityPath(entityRef, 'events')}${query}`);
  }

  syncEntity(
    entityRef: CompoundEntityRef,
    request: SyncRequest = {},
  ): Promise<SyncResponse> {
    return this.request(entityPath(entityRef, 'sync'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  getStores(): Promise<StoresResponse> {
    return this.request('/stores');
  }

  listStoreKeys(store: StoreLocator): Promise<StoreKeysResponse> {
    return this.request(storeKeysPath(store));
  }

  getOverview(): Promise<OverviewResponse> {
    return this.request('/overview');
  }

  getHealth(): Promise<{ status: 'ok' }> {
    return this.request('/health');
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * `/entities/{kind}/{namespace}/{name}/{suffix}`, each part URL-encoded. Kind
 * and namespace are lower-cased the way catalog routes are: both are
 * case-insensitive in the catalog.
 */
function entityPath(ref: CompoundEntityRef, suffix: string): string {
  const parts = [
    ref.kind.toLocaleLowerCase('en-US'),
    ref.namespace.toLocaleLowerCase('en-US'),
    ref.name,
  ].map(encodeURIComponent);
  return `/entities/${parts.join('/')}/${suffix}`;
}

/**
 * `/stores/{cluster}/{kind}/{namespace}/{name}/keys`, each part URL-encoded;
 * `-` stands for the namespace of a cluster-scoped store.
 */
function storeKeysPath(store: StoreLocator): string {
  const parts = [
    store.cluster,
    store.kind,
    store.namespace || '-',
    store.name,
  ].map(encodeURIComponent);
  return `/stores/${parts.join('/')}/keys`;
}
