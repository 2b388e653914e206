import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { parseHostPattern } from '../reconciler/storeHostPolicy';
import { ManifestsConfig, readManifestsConfig } from './readManifestPolicy';
import { parsePrivateAddressEntry } from '../reconciler/storeAddressPolicy';

/** Stores declared by platform admins, in the ESO shape, before parsing. */
export type ConfiguredStoreManifest = {
  /** `externalSecrets.stores[i]`, for messages. */
  configPath: string;
  manifest: Record<string, unknown>;
};

/**
 * Kubernetes-Secret-shaped credentials kept in app-config (values from `${ENV}`),
 * so a store manifest can stay in the ESO shape: its SecretKeySelectors
 * `{name, key, namespace}` resolve here before any cluster is asked.
 */
export type ConfiguredCredentials = Map<string, Map<string, SecretValue>>;

export type ExternalSecretsConfig = {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** `spec.controller` class this plugin reconciles for (reconcile mode). */
  controllerClass: string;
  concurrency: { providerReads: number; kubernetesRequests: number };
  stores: ConfiguredStoreManifest[];
  credentials: ConfiguredCredentials;
  syncNow: { maxPerEntityPerMinute: number };
  eventsPerExternalSecret: number;
  /** ExternalSecret status writes. */
  status?: {
    /** Move `status.refreshTime` on every refresh (one write each), as ESO. */
    updateRefreshTime: boolean;
  };
  /** Entity-declared manifests: where they go, size cap, and who may declare what. */
  manifests: ManifestsConfig;
  security: {
    /** Host patterns namespaced SecretStore CRs may reach; empty: none. */
    namespacedStoreHosts: string[];
    /** Hosts and CIDRs whose private/loopback/link-local addresses they may reach anyway. */
    namespacedStorePrivateAddresses: string[];
  };
};

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 10 },
};
export const DEFAULT_CONTROLLER_CLASS = 'backstage';

/**
 * ExternalSecrets in flight per cycle, and connections (so requests in
 * flight) per cluster. A first cycle makes two sequential round trips per
 * ExternalSecret (create the Secret; then its status and Event side by side):
 * at 8, 1,000 of them took 5 s of apiserver latency alone at 20 ms per
 * request (yarn bench). 32 stays far below an apiserver's default in-flight
 * limits (--max-mutating-requests-inflight 200).
 */
export const DEFAULT_KUBERNETES_REQUESTS = 32;

/** Key of a credentials entry, as a SecretKeySelector resolves it. */
export function credentialsKey(namespace: string | undefined, name: string) {
  return `${namespace ?? ''}/${name}`;
}

/** Reads `externalSecrets.*` once at startup; errors name the config key. */
export function readExternalSecretsConfig(root: Config): ExternalSecretsConfig {
  const config = root.getOptionalConfig('externalSecrets');
  const schedule = config?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  return {
    schedule,
    controllerClass:
      config?.getOptionalString('controllerClass') ?? DEFAULT_CONTROLLER_CLASS,
    concurrency: {
      providerReads: positive(config, 'concurrency.providerReads', 8),
      kubernetesRequests: positive(
        config,
        'concurrency.kubernetesRequests',
        DEFAULT_KUBERNETES_REQUESTS,
      ),
    },
    stores: (config?.getOptionalConfigArray('stores') ?? []).map(
      (store, i) => ({
        configPath: `externalSecrets.stores[${i}]`,
        manifest: store.get<Record<string, unknown>>(),
      }),
    ),
    credentials: readCredentials(config),
    syncNow: {
      maxPerEntityPerMinute: positive(
        config,
        'syncNow.maxPerEntityPerMinute',
        6,
      ),
    },
    eventsPerExternalSecret: positive(
      config,
      'events.keepPerExternalSecret',
      50,
    ),
    manifests: readManifestsConfig(config),
    status: {
      updateRefreshTime:
        config?.getOptionalBoolean('status.updateRefreshTime') ?? false,
    },
    security: {
      namespacedStoreHosts: readHostPatterns(config),
      namespacedStorePrivateAddresses: readPrivateAddresses(config),
    },
  };
}

/** Checked at startup, so a typo fails there and not on every store. */
function readHostPatterns(config: Config | undefined): string[] {
  const patterns =
    config?.getOptionalStringArray('security.namespacedStoreHosts') ?? [];
  patterns.forEach(pattern => {
    try {
      parseHostPattern(pattern);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
  });
  return patterns;
}

/** Checked at startup like the host patterns. */
function readPrivateAddresses(config: Config | undefined): string[] {
  const entries =
    config?.getOptionalStringArray(
      'security.namespacedStorePrivateAddresses',
    ) ?? [];
  entries.forEach(entry => {
    try {
      parsePrivateAddressEntry(entry);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
  });
  return entries;
}

function positive(config: Config | undefined, key: string, fallback: number) {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `externalSecrets.${key}: must be a whole number of at least 1, got ${value}`,
    );
  }
  return value;
}

function readCredentials(config: Config | undefined): ConfiguredCredentials {
  const credentials: ConfiguredCredentials = new Map();
  (config?.getOptionalConfigArray('credentials') ?? []).forEach((entry, i) => {
    const name = entry.getString('name');
    const key = credentialsKey(entry.getOptionalString('namespace'), name);
    if (credentials.has(key)) {
      throw new InputError(
        `externalSecrets.credentials[${i}]: duplicate credentials "${key}"`,
      );
    }
    const data = entry.getConfig('data');
    credentials.set(
      key,
      new Map(
        data.keys().map(k => [k, SecretValue.fromString(data.getString(k))]),
      ),
    );
  });
  return credentials;
}
