import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  SecretStore,
  StoreKeyCheckResponse,
  StoreKeysResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  isProviderError,
  KeyNameListing,
  propertyFailure,
  SecretsClient,
  SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ConfiguredCredentials } from '../config/readExternalSecretsConfig';
import { StatusStore, StoreStatusRecord } from '../database/StatusStore';
import { ClusterRegistry } from '../reconciler/ClusterRegistry';
import { ProviderRegistry } from '../reconciler/ProviderRegistry';
import { cachedKeyNames } from './keyNameCache';
import { keySuggestions } from './keySuggestions';
import { KnownStores, StoreAddress } from './KnownStores';

/** A `data[].remoteRef` with a `property`, as the check takes it. */
export type PropertyRef = { key: string; property: string; version?: string };

/** One read of the check: a key, at `remoteRef.version` when one is pinned. */
type Read = { key: string; version?: string };
const readId = ({ key, version }: Read) => JSON.stringify([key, version]);

type KeyCheck = {
  /** Why the key itself cannot be read; absent when it can. */
  failure?: { message: string; similarKeys: string[] };
  /** Why each asked property cannot be resolved in the value, by property. */
  propertyFailures: Map<string, string>;
};

type CheckResult = StoreKeyCheckResponse['results'][number];

/** Default cap on the names one response carries. */
export const DEFAULT_MAX_KEY_NAMES = 1000;

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
  private readonly stores: KnownStores;

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
  ) {
    this.stores = new KnownStores(options);
  }

  async listKeyNames(address: StoreAddress): Promise<StoreKeysResponse> {
    const { record, store, provider, label } = await this.stores.readyStore(
      address,
    );
    const listing = await cachedKeyNames(
      this.options,
      address,
      store,
      async () => {
        const listed = await this.readNames(provider, store, record, label);
        return { ...listed, keys: [...new Set(listed.keys)].sort() };
      },
    );
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
   * keys, absolute paths) and no second resolver can disagree with it. Each
   * of `properties` is resolved in its key's value with the reconciler's own
   * `remoteRef.property` resolution (propertyFailure), so a value that is not
   * JSON or lacks the property fails here as it fails a sync. A value is
   * dropped as soon as its properties are resolved; only `readable` and
   * value-free causes leave. A transient failure (rate limit, timeout, 5xx)
   * proves nothing about a key and answers 503 for the whole check.
   */
  async checkKeys(
    address: StoreAddress,
    keys: string[],
    properties: PropertyRef[] = [],
  ): Promise<StoreKeyCheckResponse> {
    const { record, store, provider, label } = await this.stores.readyStore(
      address,
    );
    const client = await this.stores.openClient(provider, store, record, label);
    // One listing at most, shared by every key's suggestions.
    let listed: Promise<string[]> | undefined;
    const names = () =>
      (listed ??= this.namesVia(client, address, store, provider, label));
    try {
      // Each key read once, concurrently, as a cycle reads: the provider's
      // client shares its list calls (Infisical's one list per folder, AWS's
      // batched reads). A property is resolved in the version it pins, as
      // the sync reads it.
      const reads: Read[] = [
        ...keys.map(key => ({ key })),
        ...properties.map(({ key, version }) => ({ key, version })),
      ];
      const asked = new Map(reads.map(read => [readId(read), read]));
      const checked = new Map(
        await Promise.all(
          [...asked].map(async ([id, read]) => {
            const wanted = properties.filter(p => readId(p) === id);
            const check = await this.checkKey(client, read, wanted, label);
            const suggestions = check.failure
              ? await keySuggestions(read.key, check.failure.similarKeys, names)
              : [];
            return [id, { ...check, suggestions }] as const;
          }),
        ),
      );
      const results = [
        ...keys.map(key => keyResult(key, checked.get(readId({ key }))!)),
        ...properties.map(ref =>
          propertyResult(ref, checked.get(readId(ref))!),
        ),
      ];
      return { store: { ...address }, results };
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /**
   * Reads `key` (at `version`, if pinned) once: why it cannot be read, or why
   * each of its `properties` cannot be resolved in its value. Transient
   * failures throw 503.
   */
  private async checkKey(
    client: SecretsClient,
    { key, version }: Read,
    properties: PropertyRef[],
    label: string,
  ): Promise<KeyCheck> {
    try {
      const { value } = await client.getSecret({ key, version });
      // Only value-free causes survive this line: the value is dropped.
      const propertyFailures = new Map<string, string>();
      for (const { property } of properties) {
        const failed = propertyFailure(value, property, key);
        if (failed)
          propertyFailures.set(property, `${failed.reason}: ${failed.message}`);
      }
      return { propertyFailures };
    } catch (error) {
      if (!isProviderError(error) || error.isTransient) {
        throw new ServiceUnavailableError(
          `${label}: checking key "${key}"${
            version ? ` version "${version}"` : ''
          } failed: ${(error as Error).message}`,
        );
      }
      const { hint, similarKeys } = error.details;
      return {
        failure: {
          message: `${error.errorType}: ${error.message}${
            hint && !error.message.includes(hint) ? `; ${hint}` : ''
          }`,
          similarKeys: similarKeys ?? [],
        },
        propertyFailures: new Map(),
      };
    }
  }

  /** The store's key names through an open client (cached like a listing). */
  private async namesVia(
    client: SecretsClient,
    address: StoreAddress,
    store: SecretStore,
    provider: SecretsProvider,
    label: string,
  ): Promise<string[]> {
    const listing = await cachedKeyNames(this.options, address, store, () =>
      namesOf(client, provider, label),
    );
    return listing.keys;
  }

  private async readNames(
    provider: SecretsProvider,
    store: SecretStore,
    record: StoreStatusRecord,
    label: string,
  ): Promise<KeyNameListing> {
    const client = await this.stores.openClient(provider, store, record, label);
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

function keyResult(
  key: string,
  check: KeyCheck & { suggestions: string[] },
): CheckResult {
  if (!check.failure) return { key, readable: true, suggestions: [] };
  return {
    key,
    readable: false,
    message: check.failure.message,
    suggestions: check.suggestions,
  };
}

/** A property fails with its key when the key cannot be read. */
function propertyResult(
  ref: PropertyRef,
  check: KeyCheck & { suggestions: string[] },
): CheckResult {
  const { key, property, version } = ref;
  const asked = { key, property, ...(version ? { version } : {}) };
  if (check.failure) return { ...keyResult(key, check), ...asked };
  const message = check.propertyFailures.get(property);
  if (!message) return { ...asked, readable: true, suggestions: [] };
  return { ...asked, readable: false, message, suggestions: [] };
}
