import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  StoreKeysResponse,
  StoresResponse,
  StoreStatusDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

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
  ) {
    this.client = new DefaultApiClient({
      discoveryApi: options.discovery,
      // read `fetch` per call, so a test's replacement of the global is seen
      fetchApi: { fetch: (url, init) => (options.fetch ?? fetch)(url, init) },
    });
  }

  /** The client generated from the backend's `openapi.yaml`. */
  private readonly client: DefaultApiClient;

  /** `GET /stores` (permission `external-secrets.stores.read`). */
  async listStores(
    onBehalfOf: BackstageCredentials,
  ): Promise<StoreStatusDto[]> {
    const token = await this.tokenFor(onBehalfOf);
    const body = await bodyOf<StoresResponse>(
      this.client.listStores({}, { token }),
    );
    return body.stores;
  }

  /** `GET /stores/{cluster}/{kind}/{namespace}/{name}/keys` (permission `external-secrets.stores.keys.read`). */
  async listKeyNames(
    store: Pick<StoreStatusDto, 'cluster' | 'kind' | 'namespace' | 'name'>,
    onBehalfOf: BackstageCredentials,
  ): Promise<StoreKeysResponse> {
    const token = await this.tokenFor(onBehalfOf);
    return bodyOf<StoreKeysResponse>(
      this.client.listStoreKeys(
        {
          path: {
            cluster: store.cluster || NONE,
            // the server answers 400 for any other kind
            kind: store.kind as 'SecretStore' | 'ClusterSecretStore',
            namespace: store.namespace || NONE,
            name: store.name,
          },
        },
        { token },
      ),
    );
  }

  private async tokenFor(onBehalfOf: BackstageCredentials): Promise<string> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: PLUGIN_ID,
    });
    return token;
  }
}

/** The JSON body of a 2xx answer; otherwise a `ResponseError`. */
async function bodyOf<T>(
  pending: Promise<Pick<Response, 'ok'> & { json(): Promise<unknown> }>,
): Promise<T> {
  const response = await pending;
  if (!response.ok) {
    // Carries the status and the backend's own message (which names the store).
    throw await ResponseError.fromResponse(response as Response);
  }
  return (await response.json()) as T;
}
