import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ExternalSecretsBackendClient,
  StoreKeyCheckRequest,
  StoreKeyCheckResponse,
  StoreKeysResponse,
  StoreStatusDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

const PLUGIN_ID = 'external-secrets';

/**
 * The calls the scaffolder actions make to the external-secrets backend, on
 * behalf of the user running the template (so that user's permissions apply).
 * Only names and Ready states travel; never a value.
 *
 * @public
 */
export class ExternalSecretsApi {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      /** Replaceable in tests; the global fetch otherwise. */
      fetch?: typeof fetch;
    },
  ) {
    this.client = new ExternalSecretsBackendClient({
      discoveryApi: options.discovery,
      // read `fetch` per call, so a test's replacement of the global is seen
      fetchApi: { fetch: (url, init) => (options.fetch ?? fetch)(url, init) },
    });
  }

  /** The common package's REST client (wraps the one generated from `openapi.yaml`). */
  private readonly client: ExternalSecretsBackendClient;

  /** `GET /stores` (permission `external-secrets.stores.read`). */
  async listStores(
    onBehalfOf: BackstageCredentials,
  ): Promise<StoreStatusDto[]> {
    const token = await this.tokenFor(onBehalfOf);
    const body = await this.client.listStores({ token });
    return body.stores;
  }

  /** `GET /stores/{cluster}/{kind}/{namespace}/{name}/keys` (permission `external-secrets.stores.keys.read`). */
  async listKeyNames(
    store: Pick<StoreStatusDto, 'cluster' | 'kind' | 'namespace' | 'name'>,
    onBehalfOf: BackstageCredentials,
  ): Promise<StoreKeysResponse> {
    const token = await this.tokenFor(onBehalfOf);
    // Non-2xx answers throw a `ResponseError` carrying the status and the
    // backend's own message (which names the store).
    return this.client.listStoreKeys(store, { token });
  }

  /**
   * `POST /stores/{cluster}/{kind}/{namespace}/{name}/keys/check` (permission
   * `external-secrets.stores.keys.read`): whether the reconciler can read each
   * key through the store, and resolve each `remoteRef.property` in its
   * key's value, as the backend's sync reads and resolves them.
   */
  async checkKeys(
    store: Pick<StoreStatusDto, 'cluster' | 'kind' | 'namespace' | 'name'>,
    request: StoreKeyCheckRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<StoreKeyCheckResponse> {
    const token = await this.tokenFor(onBehalfOf);
    return this.client.checkStoreKeys(store, request, { token });
  }

  private async tokenFor(onBehalfOf: BackstageCredentials): Promise<string> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: PLUGIN_ID,
    });
    return token;
  }
}
