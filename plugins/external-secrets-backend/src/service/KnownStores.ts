import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  parseSecretStore,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  SecretsClient,
  SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ConfiguredCredentials } from '../config/readExternalSecretsConfig';
import { StatusStore, StoreStatusRecord } from '../database/StatusStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterRegistry } from '../reconciler/ClusterRegistry';
import { ProviderRegistry } from '../reconciler/ProviderRegistry';
import {
  createStoreContext,
  storeScopeOf,
} from '../reconciler/StoreContextFactory';

/** A store as the keys endpoint addresses it; `''` for "none" (config stores, cluster scope). */
export type StoreAddress = {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
};

/** A known, Ready store: its status row, current manifest and provider. */
export type ReadyStore = {
  record: StoreStatusRecord;
  store: SecretStore;
  provider: SecretsProvider;
  /** The store named for messages (see describeStore). */
  label: string;
};

/**
 * The stores the key endpoints may use: known to the reconciler (its row in
 * the status store), Ready, still in app-config or its cluster, with an
 * installed provider; and a provider client with the store's identity, as
 * the reconciler makes one. Each refusal names the store and what to fix.
 */
export class KnownStores {
  constructor(
    private readonly options: {
      statusStore: StatusStore;
      configStores: SecretStore[];
      clusters: ClusterRegistry;
      providers: ProviderRegistry;
      credentials: ConfiguredCredentials;
      logger: LoggerService;
    },
  ) {}

  /** The known, Ready store at `address`, its manifest and its provider. */
  async readyStore(address: StoreAddress): Promise<ReadyStore> {
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

  /** A provider client with the store's identity, as the reconciler makes one. */
  async openClient(
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

/** `ClusterSecretStore demo (app-config)`, `SecretStore ns/name (cluster c)`. */
export function describeStore(address: StoreAddress): string {
  const where = address.cluster ? `cluster ${address.cluster}` : 'app-config';
  const name = address.namespace
    ? `${address.namespace}/${address.name}`
    : address.name;
  return `${address.kind} ${name} (${where})`;
}
