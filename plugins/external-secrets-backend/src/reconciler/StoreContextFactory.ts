import { LoggerService } from '@backstage/backend-plugin-api';
import { SecretKeySelector } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  SecretValue,
  StoreContext,
  StoreScope,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { InputError, NotFoundError } from '@backstage/errors';
import { ClusterClient } from '../kubernetes/ClusterClient';
import {
  ConfiguredCredentials,
  credentialsKey,
} from '../config/readExternalSecretsConfig';

/**
 * Who controls a store: app-config stores and ClusterSecretStores (only
 * cluster admins create cluster-scoped objects) are `admin`; a SecretStore CR
 * is `namespaced`, controlled by whoever may create one in its namespace.
 */
export function storeScopeOf(store: {
  origin: 'config' | 'cluster';
  kind: string;
}): StoreScope {
  return store.origin === 'config' || store.kind === 'ClusterSecretStore'
    ? 'admin'
    : 'namespaced';
}

/**
 * Builds the StoreContext a provider sees. A reference without `namespace`
 * means the store's namespace for a SecretStore and the ExternalSecret's for a
 * ClusterSecretStore (as ESO resolves it).
 *
 * App-config credentials (`externalSecrets.credentials`) are the admin's, so
 * only `admin` stores resolve references to them, and only by an exact match:
 * an entry with a namespace matches references to that namespace, an entry
 * without one matches references to the context's namespace (those without
 * one). Otherwise the Secret is read from the cluster. A `namespaced` store never sees app-config credentials and reads
 * Secrets and ConfigMaps in its own namespace only.
 */
export function createStoreContext(options: {
  credentials: ConfiguredCredentials;
  cluster?: ClusterClient;
  namespace?: string;
  storeScope: StoreScope;
  logger: LoggerService;
  signal?: AbortSignal;
}): StoreContext {
  const { credentials, cluster, namespace, storeScope, logger, signal } =
    options;
  const qualify = (kind: string, ref: SecretKeySelector) => {
    if (
      storeScope === 'namespaced' &&
      ref.namespace &&
      ref.namespace !== namespace
    ) {
      throw new InputError(
        `a namespaced SecretStore reads ${kind}s in its own namespace "${
          namespace ?? ''
        }" only, not ${ref.namespace}/${ref.name}`,
      );
    }
    return {
      name: ref.name,
      key: ref.key,
      namespace: ref.namespace || namespace || '',
    };
  };
  const fromConfig = (ref: { name: string; namespace: string }) => {
    if (storeScope !== 'admin') return undefined;
    // Providers may qualify a reference with context.namespace themselves.
    const inDefaultNamespace = ref.namespace === (namespace ?? '');
    return (
      credentials.get(credentialsKey(ref.namespace, ref.name)) ??
      (inDefaultNamespace
        ? credentials.get(credentialsKey(undefined, ref.name))
        : undefined)
    );
  };
  return {
    namespace,
    storeScope,
    logger,
    signal,
    async readSecretKey(ref) {
      const qualified = qualify('Secret', ref);
      const configured = fromConfig(qualified);
      if (configured) {
        const value = configured.get(qualified.key);
        if (value) return value;
        throw new NotFoundError(
          `key "${qualified.key}" not found in credentials "${qualified.name}" (externalSecrets.credentials)`,
        );
      }
      if (!cluster) {
        throw new NotFoundError(
          `Secret ${qualified.namespace}/${qualified.name} is neither in externalSecrets.credentials nor readable: no cluster for this store`,
        );
      }
      return cluster.readSecretKey(qualified) as Promise<SecretValue>;
    },
    async readConfigMapKey(ref) {
      const qualified = qualify('ConfigMap', ref);
      if (!cluster) {
        throw new NotFoundError(
          `ConfigMap ${qualified.namespace}/${qualified.name} cannot be read: no cluster for this store`,
        );
      }
      return cluster.readConfigMapKey(qualified);
    },
  };
}
