import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { readOptionalDurationMs } from './readDurationMs';

/** How changes of one store reach its ExternalSecrets between refreshes. */
export type StorePropagation = {
  kind: 'SecretStore' | 'ClusterSecretStore';
  name: string;
  /** Limits the entry to one cluster (and config stores to none); all when absent. */
  cluster?: string;
  /** The namespace of a SecretStore; all namespaces when absent. */
  namespace?: string;
  /** Sync this store's ExternalSecrets when its provider's webhook says it changed. */
  webhook: boolean;
  /** Re-read this store's ExternalSecrets at least this often (ETag polling). */
  pollIntervalMs?: number;
};

export type PropagationConfig = {
  stores: StorePropagation[];
  webhooks: {
    infisical?: { signingSecret: SecretValue; maxAgeMs: number };
  };
};

/** Infisical signs with a millisecond timestamp; older deliveries are replays. */
const DEFAULT_WEBHOOK_MAX_AGE_MS = 5 * 60_000;
/** Below this, polling costs more provider requests than it saves latency. */
const MIN_POLL_INTERVAL_MS = 10_000;

/** Reads `externalSecrets.propagation`: opt-in per store, nothing by default. */
export function readPropagationConfig(root: Config): PropagationConfig {
  const config = root.getOptionalConfig('externalSecrets.propagation');
  const stores = (config?.getOptionalConfigArray('stores') ?? []).map(
    readStorePropagation,
  );
  const infisical = config?.getOptionalConfig('webhooks.infisical');
  const webhooks: PropagationConfig['webhooks'] = {};
  if (infisical) {
    webhooks.infisical = {
      signingSecret: SecretValue.fromString(
        infisical.getString('signingSecret'),
      ),
      maxAgeMs:
        readOptionalDurationMs(
          infisical,
          'maxAge',
          'externalSecrets.propagation.webhooks.infisical.maxAge',
        ) ?? DEFAULT_WEBHOOK_MAX_AGE_MS,
    };
  }
  if (stores.some(s => s.webhook) && !webhooks.infisical) {
    throw new InputError(
      'externalSecrets.propagation.stores: a store opts into webhooks but externalSecrets.propagation.webhooks.infisical.signingSecret is not set; set it to the secret key of the Infisical webhook',
    );
  }
  return { stores, webhooks };
}

function readStorePropagation(entry: Config, i: number): StorePropagation {
  const path = `externalSecrets.propagation.stores[${i}]`;
  const kind = entry.getString('kind');
  if (kind !== 'SecretStore' && kind !== 'ClusterSecretStore') {
    throw new InputError(
      `${path}.kind: must be SecretStore or ClusterSecretStore, got "${kind}"`,
    );
  }
  const pollIntervalMs = readOptionalDurationMs(
    entry,
    'pollInterval',
    `${path}.pollInterval`,
  );
  if (pollIntervalMs !== undefined && pollIntervalMs < MIN_POLL_INTERVAL_MS) {
    throw new InputError(
      `${path}.pollInterval: must be at least 10s, got ${
        pollIntervalMs / 1000
      }s`,
    );
  }
  const webhook = entry.getOptionalBoolean('webhook') ?? false;
  if (!webhook && pollIntervalMs === undefined) {
    throw new InputError(
      `${path}: opts into nothing; set webhook: true and/or pollInterval`,
    );
  }
  return {
    kind,
    name: entry.getString('name'),
    cluster: entry.getOptionalString('cluster'),
    namespace: entry.getOptionalString('namespace'),
    webhook,
    pollIntervalMs,
  };
}
