import { LoggerService } from '@backstage/backend-plugin-api';
import {
  isProviderError,
  ProviderError,
  SecretsClient,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ConfiguredCredentials } from '../config/readExternalSecretsConfig';
import { ResolvedStore } from './StoreResolver';
import { createStoreContext, storeScopeOf } from './StoreContextFactory';
import { withoutCredentialNamespace } from './storeClientKey';

/**
 * One provider client per store identity per cycle (ESO's client manager),
 * created on first use and closed when the cycle ends: every read of a store
 * identity in one cycle goes through the same client, which is what lets a
 * provider serve a whole scope from one list call. The key
 * (`ResolvedStore.key`, see storeClientKey) names the namespace the
 * credentials are read in wherever that differs per ExternalSecret, so one
 * namespace's client never reads for another.
 */
export class CycleClients {
  private readonly clients = new Map<
    string,
    Promise<SecretsClient | ProviderError>
  >();
  private readonly provenReadable = new Set<string>();

  constructor(
    private readonly options: {
      credentials: ConfiguredCredentials;
      logger: LoggerService;
      signal?: AbortSignal;
    },
  ) {}

  get(
    resolved: ResolvedStore,
    cluster: ClusterClient | undefined,
    namespace: string,
  ): Promise<SecretsClient | ProviderError> {
    let client = this.clients.get(resolved.key);
    if (!client) {
      client = this.create(resolved, cluster, namespace);
      this.clients.set(resolved.key, client);
    }
    return client;
  }

  /** A read through the store's client succeeded this cycle. */
  noteSuccessfulRead(key: string): void {
    this.provenReadable.add(key);
    this.provenReadable.add(withoutCredentialNamespace(key));
  }

  /**
   * Whether this cycle already proved the store works (authenticated and
   * read): store validation then needs no call of its own. A store whose
   * credentials are read per namespace counts as proven when one namespace's
   * identity read through it: the store itself cannot be validated with any
   * single namespace's identity, and each namespace's failures show on its own
   * ExternalSecrets.
   */
  readSucceeded(key: string): boolean {
    return this.provenReadable.has(key);
  }

  async closeAll(): Promise<void> {
    const clients = await Promise.all(this.clients.values());
    this.clients.clear();
    await Promise.all(
      clients.map(client =>
        isProviderError(client)
          ? undefined
          : client
              .close()
              .catch(e =>
                this.options.logger.warn(
                  `Closing a provider client failed: ${(e as Error).message}`,
                ),
              ),
      ),
    );
  }

  private async create(
    resolved: ResolvedStore,
    cluster: ClusterClient | undefined,
    namespace: string,
  ): Promise<SecretsClient | ProviderError> {
    const storeNamespace = resolved.store.metadata.namespace ?? namespace;
    const context = createStoreContext({
      credentials: this.options.credentials,
      cluster,
      namespace:
        resolved.store.kind === 'SecretStore' ? storeNamespace : namespace,
      storeScope: storeScopeOf({
        origin: resolved.origin,
        kind: resolved.store.kind,
      }),
      logger: this.options.logger,
      signal: this.options.signal,
    });
    try {
      return await resolved.provider.newClient(resolved.store, context);
    } catch (e) {
      if (isProviderError(e)) return e;
      return new ProviderError(
        'INVALID_CONFIG',
        `${resolved.refKey}: cannot connect: ${(e as Error).message}`,
        { provider: resolved.provider.name, store: resolved.refKey },
      );
    }
  }
}
