import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  parseSecretStore,
  SecretStore,
  StoreKeyCheckResponse,
  StoreKeysResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  closestNames,
  isProviderError,
  KeyNameListing,
  SecretsClient,
  SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { createHash } from 'node:crypto';
import { ConfiguredCredentials } from '../config/readExternalSecretsConfig';
import { StatusStore, StoreStatusRecord } from '../database/StatusStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterRegistry } from '../reconciler/ClusterRegistry';
import { ProviderRegistry } from '../reconciler/ProviderRegistry';
import {
  createStoreContext,
  storeScopeOf,
} from '../reconciler/StoreContextFactory';

/** Default cap on the names one response carries. */
export const DEFAULT_MAX_KEY_NAMES = 1000;
/** "Did you mean" names per unreadable key. */
const MAX_SUGGESTIONS = 5;
/** How long listed names are reused (externalSecrets.storeKeys.cacheTtl). */
export const DEFAULT_KEY_NAMES_TTL_MS = 60_000;

/** A store as the keys endpoint addresses it; `''` for "none" (config stores, cluster scope). */
export type StoreAddress = {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
};

/**
 * Lists the remote key NAMES of one known store, for the scaffolder picker and
 * the `external-secrets:create` action. The store must be known (validated by
 * the reconciler: its row in the status store) and Ready. Names come from the
 * provider's `listKeyNames`, or from `readScope` whose values are dropped on
 * the spot; no value is kept, logged or returned. The NAMES are cached for
 * `cacheTtlMs` per store and spec (its identity and scope), so repeated
 * listings cost one provider call.
 */
export class StoreKeyLister {
  constructor(
    private readonly options: {
      statusStore: StatusStore;
      configStores: SecretStore[];
      clusters: ClusterRegistry;
      providers: ProviderRegistry;
      credentials: ConfiguredCredentials;
      logger: LoggerService;
      maxKeys?: number;
      /** Names only; absent: no caching. */
      cache?: CacheService;
      cacheTtlMs?: number;
    },
  ) {}

  async listKeyNames(address: StoreAddress): Promise<StoreKeysResponse> {
    const { record, store, provider, label } = await this.readyStore(address);
    const listing = await this.cached(address, store, async () => {
      const listed = await this.readNames(provider, store, record, label);
      return { ...listed, keys: [...new Set(listed.keys)].sort() };
    });
    const max = this.options.maxKeys ?? DEFAULT_MAX_KEY_NAMES;
    const truncated = listing.keys.length > max;
    return {
      store: { ...address },
      keys: listing.keys.slice(0, max),
      truncated,
      complete: listing.complete && !truncated,
      ...incompleteMessage(listing, { label, max, truncated }),
    };
  }

  /**
   * Whether the reconciler can read each of `keys` through the store: each is
   * read with the provider's own `getSecret`, the call a sync makes, so the
   * provider's key resolution decides (for Infisical: `secretsPath`, folder
   * keys, absolute paths) and no second resolver can disagree with it. The
   * value read is dropped on the spot; only `readable` and the provider's
   * value-free cause leave. A transient failure (rate limit, timeout, 5xx)
   * proves nothing about a key and answers 503 for the whole check.
   */
  async checkKeys(
    address: StoreAddress,
    keys: string[],
  ): Promise<StoreKeyCheckResponse> {
    const { record, store, provider, label } = await this.readyStore(address);
    const client = await this.openClient(provider, store, record, label);
    // One listing at most, shared by every key's suggestions.
    let listed: Promise<string[]> | undefined;
    const names = () =>
      (listed ??= this.namesVia(client, address, store, provider, label));
    try {
      // Concurrently, as a cycle reads: the provider's client shares its list
      // calls (Infisical's one list per folder, AWS's batched reads).
      const results = await Promise.all(
        keys.map(async key => {
          const failure = await this.readFailure(client, key, label);
          if (!failure) return { key, readable: true, suggestions: [] };
          return {
            key,
            readable: false,
            message: failure.message,
            suggestions: await this.suggestionsFor(
              key,
              failure.similarKeys,
              names,
            ),
          };
        }),
      );
      return { store: { ...address }, results };
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** Why `key` cannot be read (undefined when it can); transient failures throw 503. */
  private async readFailure(
    client: SecretsClient,
    key: string,
    label: string,
  ): Promise<{ message: string; similarKeys: string[] } | undefined> {
    try {
      // The value is not kept: only the fact that the read succeeded is.
      await client.getSecret({ key });
      return undefined;
    } catch (error) {
      if (!isProviderError(error) || error.isTransient) {
        throw new ServiceUnavailableError(
          `${label}: checking key "${key}" failed: ${(error as Error).message}`,
        );
      }
      const { hint, similarKeys } = error.details;
      return {
        message: `${error.errorType}: ${error.message}${
          hint && !error.message.includes(hint) ? `; ${hint}` : ''
        }`,
        similarKeys: similarKeys ?? [],
      };
    }
  }

  /**
   * "Did you mean": the provider's nearest names, then the nearest names of
   * the store's listing, then the same name in other folders. A listing that
   * fails only loses the extra suggestions.
   */
  private async suggestionsFor(
    key: string,
    fromProvider: string[],
    names: () => Promise<string[]>,
  ): Promise<string[]> {
    const listed = await names().catch(() => [] as string[]);
    const leaf = (name: string) => name.slice(name.lastIndexOf('/') + 1);
    const sameName = listed.filter(
      name => name !== key && leaf(name) === leaf(key),
    );
    return [
      ...new Set([...fromProvider, ...closestNames(key, listed), ...sameName]),
    ].slice(0, MAX_SUGGESTIONS);
  }

  /** The store's key names through an open client (cached like a listing). */
  private async namesVia(
    client: SecretsClient,
    address: StoreAddress,
    store: SecretStore,
    provider: SecretsProvider,
    label: string,
  ): Promise<string[]> {
    const listing = await this.cached(address, store, () =>
      namesOf(client, provider, label),
    );
    return listing.keys;
  }

  /** The known, Ready store at `address`, its manifest and its provider. */
  private async readyStore(address: StoreAddress) {
    const record = await this.findRecord(address);
    const label = describeStore(address);
    if (!record.ready) {
      throw new ConflictError(
        `${label} is not Ready (${record.reason ?? 'no reason'}: ${
          record.message ?? 'not validated yet'
        }); fix the store, then retry after its next validation`,
      );
    }
    const store = await this.loadStore(record, label);
    const provider = this.providerOf(store, label);
    return { record, store, provider, label };
  }

  /**
   * Names from the cache, keyed by the store's address and provider spec: a
   * changed identity, project, environment or path is a new entry. A cache
   * that fails is skipped, never fatal.
   */
  private async cached(
    address: StoreAddress,
    store: SecretStore,
    read: () => Promise<KeyNameListing>,
  ): Promise<KeyNameListing> {
    const { cache, logger } = this.options;
    if (!cache) return read();
    const key = `store-key-listing:${createHash('sha256')
      .update(JSON.stringify([address, store.spec.provider]))
      .digest('hex')}`;
    const hit = await cache.get<KeyNameListing>(key).catch(() => undefined);
    if (hit?.keys) return { ...hit, keys: [...hit.keys] };
    const names = await read();
    await cache
      .set(key, names, {
        ttl: this.options.cacheTtlMs ?? DEFAULT_KEY_NAMES_TTL_MS,
      })
      .catch(e =>
        logger.warn(
          `${describeStore(address)}: could not cache its key names: ${
            (e as Error).message
          }`,
        ),
      );
    return names;
  }

  private async findRecord(address: StoreAddress): Promise<StoreStatusRecord> {
    const found = (await this.options.statusStore.listStores()).find(
      s =>
        s.cluster === address.cluster &&
        s.kind === address.kind &&
        s.namespace === address.namespace &&
        s.name === address.name,
    );
    if (!found) {
      throw new NotFoundError(
        `${describeStore(
          address,
        )} is not a known store; GET /stores lists the stores the reconciler validated`,
      );
    }
    return found;
  }

  /** The store's current manifest: from app-config, or read from its cluster now. */
  private async loadStore(
    record: StoreStatusRecord,
    label: string,
  ): Promise<SecretStore> {
    const sameStore = (store: SecretStore) =>
      store.kind === record.kind &&
      store.metadata.name === record.name &&
      (record.kind === 'ClusterSecretStore' ||
        store.metadata.namespace === record.namespace);
    if (record.origin === 'config') {
      const store = this.options.configStores.find(sameStore);
      if (store) return store;
      throw new NotFoundError(
        `${label} is no longer in app-config externalSecrets.stores`,
      );
    }
    const client = this.clusterClient(record.cluster, label);
    const raw =
      record.kind === 'ClusterSecretStore'
        ? await client.listClusterSecretStores()
        : await client.listSecretStores({ namespace: record.namespace });
    for (const object of raw) {
      const parsed = parseSecretStore(object);
      if (parsed.ok && sameStore(parsed.value)) return parsed.value;
    }
    throw new NotFoundError(
      `${label} is no longer in cluster ${record.cluster} (or no longer valid)`,
    );
  }

  private clusterClient(name: string, label: string): ClusterClient {
    const cluster = this.options.clusters.get(name);
    if (!cluster) {
      throw new NotFoundError(
        `${label}: cluster "${name}" is not configured any more`,
      );
    }
    return cluster.client;
  }

  private providerOf(store: SecretStore, label: string): SecretsProvider {
    const name = Object.keys(store.spec.provider).find(
      key => store.spec.provider[key] !== undefined,
    );
    const provider = name ? this.options.providers.get(name) : undefined;
    if (!provider) {
      throw new ConflictError(
        `${label} uses provider "${name ?? '(none)'}", which is not installed`,
      );
    }
    return provider;
  }

  private async readNames(
    provider: SecretsProvider,
    store: SecretStore,
    record: StoreStatusRecord,
    label: string,
  ): Promise<KeyNameListing> {
    const client = await this.openClient(provider, store, record, label);
    try {
      return await namesOf(client, provider, label);
    } catch (error) {
      if (error instanceof NotImplementedError) throw error;
      throw new ServiceUnavailableError(
        `${label}: listing its keys failed: ${(error as Error).message}`,
      );
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** A provider client with the store's identity, as the reconciler makes one. */
  private async openClient(
    provider: SecretsProvider,
    store: SecretStore,
    record: StoreStatusRecord,
    label: string,
  ): Promise<SecretsClient> {
    const context = createStoreContext({
      credentials: this.options.credentials,
      cluster:
        record.origin === 'cluster'
          ? this.options.clusters.get(record.cluster)?.client
          : this.options.clusters.list()[0]?.client,
      namespace:
        store.kind === 'SecretStore' ? store.metadata.namespace : undefined,
      storeScope: storeScopeOf(record),
      logger: this.options.logger,
    });
    try {
      return await provider.newClient(store, context);
    } catch (error) {
      throw new ServiceUnavailableError(
        `${label}: connecting to it failed: ${(error as Error).message}`,
      );
    }
  }
}

async function namesOf(
  client: SecretsClient,
  provider: SecretsProvider,
  label: string,
): Promise<KeyNameListing> {
  if (client.listKeyNames) return client.listKeyNames();
  if (client.readScope) {
    // Only the keys survive this line: the map (and its values) is dropped.
    // readScope is every secret the store's scope holds, so the list is complete.
    return { keys: [...(await client.readScope()).keys()], complete: true };
  }
  throw new NotImplementedError(
    `${label}: provider "${provider.name}" cannot list key names`,
  );
}

/** Why a listing is not the full set of keys the store can read, for the picker and the action. */
function incompleteMessage(
  listing: KeyNameListing,
  options: { label: string; max: number; truncated: boolean },
): { message?: string } {
  const { label, max, truncated } = options;
  if (truncated) {
    return {
      message: `${label} can read ${listing.keys.length} keys; the first ${max} are listed (externalSecrets.storeKeys.maxKeys). Other keys can still be typed.`,
    };
  }
  if (!listing.complete) {
    return {
      message: `${label}: ${
        listing.incompleteReason ??
        'its provider cannot tell whether this is every key it can read'
      }`,
    };
  }
  return {};
}

/** `ClusterSecretStore demo (app-config)`, `SecretStore ns/name (cluster c)`. */
export function describeStore(address: StoreAddress): string {
  const where = address.cluster ? `cluster ${address.cluster}` : 'app-config';
  const name = address.namespace
    ? `${address.namespace}/${address.name}`
    : address.name;
  return `${address.kind} ${name} (${where})`;
}
