import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  StoreKeysResponse,
  StoresResponse,
  StoreStatusDto,
} from '@internal/backstage-plugin-external-secrets-common';

const PLUGIN_ID = 'external-secrets';

/** Path segment the keys endpoint reads as "none" (app-config stores, ClusterSecretStores). */
const NONE = '-';

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
  ) {}

  /** `GET /stores` (permission `external-secrets.stores.read`). */
  async listStores(
    onBehalfOf: BackstageCredentials,
  ): Promise<StoreStatusDto[]> {
    const body = await this.get<StoresResponse>('/stores', onBehalfOf);
    return body.stores;
  }

  /** `GET /stores/{cluster}/{kind}/{namespace}/{name}/keys` (permission `external-secrets.stores.keys.read`). */
  async listKeyNames(
    store: Pick<StoreStatusDto, 'cluster' | 'kind' | 'namespace' | 'name'>,
    onBehalfOf: BackstageCredentials,
  ): Promise<StoreKeysResponse> {
    const path = [
      store.cluster || NONE,
      store.kind,
      store.namespace || NONE,
      store.name,
    ]
      .map(encodeURIComponent)
      .join('/');
    return this.get<StoreKeysResponse>(`/stores/${path}/keys`, onBehalfOf);
  }

  private async get<T>(
    path: string,
    onBehalfOf: BackstageCredentials,
  ): Promise<T> {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl(PLUGIN_ID);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: PLUGIN_ID,
    });
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      // Carries the status and the backend's own message (which names the store).
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
