import { ResponseError } from '@backstage/errors';
import { DefaultApiClient } from '../schema/openapi';
import type {
  EntityEventsResponse,
  EntityStatusResponse,
  OverviewResponse,
  RestartRequest,
  RestartResponse,
  StoreKeyCheckRequest,
  StoreKeyCheckResponse,
  StoreKeysResponse,
  StoresResponse,
  SyncRequest,
  SyncResponse,
} from './types';

/**
 * An entity as the `/entities/{kind}/{namespace}/{name}` routes address it
 * (a `CompoundEntityRef` fits).
 *
 * @public
 */
export type EntityLocator = { kind: string; namespace: string; name: string };

/**
 * A store as `GET /stores` lists it. `cluster` is empty for stores declared in
 * app-config; `namespace` is empty or absent for cluster-scoped stores.
 *
 * @public
 */
export type StoreAddress = {
  cluster?: string;
  kind: string;
  namespace?: string;
  name: string;
};

/**
 * Per-call options of {@link ExternalSecretsBackendClient}.
 *
 * @public
 */
export type ExternalSecretsRequestOptions = {
  /** A Backstage token sent as `Authorization: Bearer`; backend callers pass one on behalf of the user. */
  token?: string;
};

/** Path segment the server reads as "none" (app-config stores, cluster-scoped stores). */
const NONE = '-';

/**
 * Calls the external-secrets backend's REST API (`/api/external-secrets`).
 * Isomorphic: the frontend passes the discovery and fetch APIs, a backend
 * module passes the discovery service and a token per call. Answers are typed
 * with the common DTOs; a non-2xx answer becomes a `ResponseError` carrying
 * the status and the server's message. The client generated from the
 * backend's `openapi.yaml` stays an implementation detail, as in
 * `@backstage/catalog-client`.
 *
 * @public
 */
export class ExternalSecretsBackendClient {
  private readonly client: DefaultApiClient;

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.client = new DefaultApiClient(options);
  }

  /** `GET /entities/{kind}/{namespace}/{name}/status`. */
  getEntityStatus(
    entity: EntityLocator,
    options?: ExternalSecretsRequestOptions,
  ): Promise<EntityStatusResponse> {
    return bodyOf(
      // No If-None-Match: a browser's HTTP cache revalidates with the ETag itself.
      this.client.getEntityStatus(
        { path: entityPath(entity), header: {} },
        options,
      ),
    );
  }

  /** `GET /entities/{kind}/{namespace}/{name}/events`, newest first. */
  getEntityEvents(
    entity: EntityLocator,
    query?: { limit?: number },
    options?: ExternalSecretsRequestOptions,
  ): Promise<EntityEventsResponse> {
    const limit =
      query?.limit === undefined ? {} : { limit: String(query.limit) };
    return bodyOf(
      this.client.getEntityEvents(
        { path: entityPath(entity), query: limit },
        options,
      ),
    );
  }

  /** `POST /entities/{kind}/{namespace}/{name}/sync`. */
  syncEntity(
    entity: EntityLocator,
    request: SyncRequest,
    options?: ExternalSecretsRequestOptions,
  ): Promise<SyncResponse> {
    return bodyOf(
      this.client.syncEntity(
        { path: entityPath(entity), body: request },
        options,
      ),
    );
  }

  /** `POST /entities/{kind}/{namespace}/{name}/restart`. */
  restartConsumer(
    entity: EntityLocator,
    request: RestartRequest,
    options?: ExternalSecretsRequestOptions,
  ): Promise<RestartResponse> {
    return bodyOf(
      this.client.restartConsumer(
        { path: entityPath(entity), body: request },
        options,
      ),
    );
  }

  /** `GET /stores`. */
  listStores(options?: ExternalSecretsRequestOptions): Promise<StoresResponse> {
    return bodyOf(this.client.listStores({}, options));
  }

  /** `GET /stores/{cluster}/{kind}/{namespace}/{name}/keys` (key names only). */
  listStoreKeys(
    store: StoreAddress,
    options?: ExternalSecretsRequestOptions,
  ): Promise<StoreKeysResponse> {
    return bodyOf(
      this.client.listStoreKeys({ path: storePath(store) }, options),
    );
  }

  /**
   * `POST /stores/{cluster}/{kind}/{namespace}/{name}/keys/check`: whether the
   * reconciler can read each key through the store, and resolve each
   * `remoteRef.property` in its key's value as a sync does (names only).
   * `keys` alone, or `{ keys, properties }`.
   */
  checkStoreKeys(
    store: StoreAddress,
    request: string[] | StoreKeyCheckRequest,
    options?: ExternalSecretsRequestOptions,
  ): Promise<StoreKeyCheckResponse> {
    const body = Array.isArray(request) ? { keys: request } : request;
    return bodyOf(
      this.client.checkStoreKeys({ path: storePath(store), body }, options),
    );
  }

  /** `GET /overview`: counts by state and the failing mappings. */
  getOverview(
    options?: ExternalSecretsRequestOptions,
  ): Promise<OverviewResponse> {
    return bodyOf(this.client.getOverview({}, options));
  }

  /** `GET /health`. */
  getHealth(
    options?: ExternalSecretsRequestOptions,
  ): Promise<{ status: 'ok' }> {
    return bodyOf(this.client.health({}, options));
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

/** The store routes' path parameters. */
function storePath(store: StoreAddress) {
  return {
    // an empty segment would address another route
    cluster: store.cluster || NONE,
    // the server answers 400 for any other kind
    kind: store.kind as 'SecretStore' | 'ClusterSecretStore',
    namespace: store.namespace || NONE,
    name: store.name,
  };
}

/**
 * The entity path parameters (the generated client URL-encodes each). Kind and
 * namespace are lower-cased the way catalog routes are: both are
 * case-insensitive in the catalog.
 */
function entityPath(entity: EntityLocator) {
  return {
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: entity.namespace.toLocaleLowerCase('en-US'),
    name: entity.name,
  };
}
