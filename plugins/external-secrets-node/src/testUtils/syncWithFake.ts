import type {
  ParsedExternalSecret,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isProviderError } from '../provider/ProviderError';
import type { SecretsClient, StoreContext } from '../provider/types';
import { createFakeProvider } from '../providers/fake/createFakeProvider';
import { planReads, storeRefKey } from '../reconcile/planReads';
import { reconcileExternalSecret } from '../reconcile/reconcileExternalSecret';
import type {
  CurrentSecret,
  DesiredSecret,
  ReadOutcome,
  ReconcileResult,
} from '../reconcile/types';

const logger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => logger,
};

const context: StoreContext = {
  storeScope: 'admin',
  readSecretKey: async () => {
    throw new Error('the fake provider reads no credentials');
  },
  readConfigMapKey: async () => {
    throw new Error('the fake provider reads no config maps');
  },
  logger,
};

/** What the backend's reconciler does around the core: one client per store, one read per request. */
export async function readWithFake(
  parsed: ParsedExternalSecret,
  stores: SecretStore[],
): Promise<Map<string, ReadOutcome>> {
  const provider = createFakeProvider();
  const clients = new Map<string, SecretsClient>();
  for (const store of stores)
    clients.set(
      `${store.kind}/${store.metadata.name}`,
      await provider.newClient(store, context),
    );
  const reads = new Map<string, ReadOutcome>();
  for (const request of planReads(parsed)) {
    const client = clients.get(storeRefKey(request.storeRef));
    if (!client) continue;
    try {
      const { operation } = request;
      reads.set(
        request.id,
        operation.kind === 'get'
          ? { ok: true, secret: await client.getSecret(operation) }
          : { ok: true, secrets: await client.findSecrets(operation.find) },
      );
    } catch (e) {
      if (!isProviderError(e)) throw e;
      reads.set(request.id, { ok: false, error: e });
    }
  }
  return reads;
}

export const NOW = new Date('2026-11-23T10:00:00Z');

/** planReads → fake reads → reconcileExternalSecret. */
export async function syncWithFake(options: {
  parsed: ParsedExternalSecret;
  stores: SecretStore[];
  current?: CurrentSecret;
}): Promise<ReconcileResult> {
  const reads = await readWithFake(options.parsed, options.stores);
  return reconcileExternalSecret({
    parsed: options.parsed,
    reads,
    current: options.current,
    now: NOW,
  });
}

/** The Secret as the cluster holds it after `desired` was written. */
export function written(desired: DesiredSecret): CurrentSecret {
  return {
    metadata: { ...desired.metadata, resourceVersion: '1' },
    type: desired.type,
    immutable: desired.immutable,
    data: { ...desired.data },
  };
}
