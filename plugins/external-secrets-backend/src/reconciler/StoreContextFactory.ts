import { LoggerService } from '@backstage/backend-plugin-api';
import { SecretKeySelector } from '@internal/backstage-plugin-external-secrets-common';
import {
  SecretValue,
  StoreContext,
} from '@internal/backstage-plugin-external-secrets-node';
import { NotFoundError } from '@backstage/errors';
import { ClusterClient } from '../kubernetes/ClusterClient';
import {
  ConfiguredCredentials,
  credentialsKey,
} from '../config/readExternalSecretsConfig';

/**
 * Builds the StoreContext a provider sees: credentials referenced by a store
 * resolve from app-config `externalSecrets.credentials` first, then from the
 * cluster (when there is one), in the store's namespace for SecretStores and in
 * the ExternalSecret's for ClusterSecretStore references without one.
 */
export function createStoreContext(options: {
  credentials: ConfiguredCredentials;
  cluster?: ClusterClient;
  namespace?: string;
  logger: LoggerService;
  signal?: AbortSignal;
}): StoreContext {
  const { credentials, cluster, namespace, logger, signal } = options;
  const qualify = (ref: SecretKeySelector) => ({
    name: ref.name,
    key: ref.key,
    namespace: ref.namespace ?? namespace ?? '',
  });
  return {
    namespace,
    logger,
    signal,
    async readSecretKey(ref) {
      const qualified = qualify(ref);
      const fromConfig =
        credentials.get(credentialsKey(qualified.namespace, qualified.name)) ??
        credentials.get(credentialsKey(undefined, qualified.name));
      if (fromConfig) {
        const value = fromConfig.get(qualified.key);
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
      const qualified = qualify(ref);
      if (!cluster) {
        throw new NotFoundError(
          `ConfigMap ${qualified.namespace}/${qualified.name} cannot be read: no cluster for this store`,
        );
      }
      return cluster.readConfigMapKey(qualified);
    },
  };
}
