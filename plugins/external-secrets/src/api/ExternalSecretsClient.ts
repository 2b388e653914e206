import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
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
 * {@link ExternalSecretsApi} over HTTP: a thin wrapper over the client
 * generated from the backend's `openapi.yaml` (`DefaultApiClient` in the common
 * package). The base URL comes from the discovery API and requests go through
 * the fetch API (which adds the user's token). Non-2xx answers become
 * `ResponseError`s carrying the status and the server's message.
 *
 * @public
 */
export class ExternalSecretsClient implements ExternalSecretsApi {
  private readonly client: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new DefaultApiClient(options);
  }

  /** {@inheritDoc ExternalSecretsApi.getEntityStatus} */
  getEntityStatus(entityRef: CompoundEntityRef): Promise<EntityStatusResponse> {
    return bodyOf(this.client.getEntityStatus({ path: entityPath(entityRef) }));
  }

  /** {@inheritDoc ExternalSecretsApi.getEntityEvents} */
  getEntityEvents(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<EntityEventsResponse> {
    const query =
      options?.limit === undefined ? {} : { limit: String(options.limit) };
    return bodyOf(
      this.client.getEntityEvents({ path: entityPath(entityRef), query }),
    );
  }

  /** {@inheritDoc ExternalSecretsApi.syncEntity} */
  syncEntity(
    entityRef: CompoundEntityRef,
    request: SyncRequest = {},
  ): Promise<SyncResponse> {
    return bodyOf(
      this.client.syncEntity({ path: entityPath(entityRef), body: request }),
    );
  }

  /** {@inheritDoc ExternalSecretsApi.restartConsumer} */
  restartConsumer(
    entityRef: CompoundEntityRef,
    request: RestartRequest,
  ): Promise<RestartResponse> {
    return bodyOf(
      this.client.restartConsumer({
        path: entityPath(entityRef),
        body: request,
      }),
    );
  }

  /** {@inheritDoc ExternalSecretsApi.getStores} */
  getStores(): Promise<StoresResponse> {
    return bodyOf(this.client.listStores({}));
  }

  /** {@inheritDoc ExternalSecretsApi.listStoreKeys} */
  listStoreKeys(store: StoreLocator): Promise<StoreKeysResponse> {
    return bodyOf(
      this.client.listStoreKeys({
        path: {
          // `-` stands for "no cluster" (stores declared in app-config): an
          // empty segment would address another route
          cluster: store.cluster || '-',
          // the server answers 400 for any other kind
          kind: store.kind as 'SecretStore' | 'ClusterSecretStore',
          // `-` stands for the namespace of a cluster-scoped store
          namespace: store.namespace || '-',
          name: store.name,
        },
      }),
    );
  }

  /** {@inheritDoc ExternalSecretsApi.getOverview} */
  getOverview(): Promise<OverviewResponse> {
    return bodyOf(this.client.getOverview({}));
  }

  /** {@inheritDoc ExternalSecretsApi.getHealth} */
  getHealth(): Promise<{ status: 'ok' }> {
    return bodyOf(this.client.health({}));
  }
}

/**
 * The JSON body of a 2xx answer, typed with the common DTOs: the generated
 * models read `date-time` as `Date`, but JSON carries ISO strings, as the DTOs
 * say.
 */
async function bodyOf<T>(
  pending: Promise<Pick<Response, 'ok'> & { json(): Promise<unknown> }>,
): Promise<T> {
  const response = await pending;
  if (!response.ok) {
    throw await ResponseError.fromResponse(response as Response);
  }
  return (await response.json()) as T;
}

/**
 * The entity path parameters (the generated client URL-encodes each). Kind and
 * namespace are lower-cased the way catalog routes are: both are
 * case-insensitive in the catalog.
 */
function entityPath(ref: CompoundEntityRef) {
  return {
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace.toLocaleLowerCase('en-US'),
    name: ref.name,
  };
}
