import { LoggerService } from '@backstage/backend-plugin-api';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { StoreStatusRecord } from '../database/StatusStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { emitKubernetesEvent } from './KubernetesEvents';

/**
 * ESO's message for a store that validated
 * (pkg/controllers/secretstore/common.go, msgStoreValidated).
 */
export const MSG_STORE_VALIDATED = 'store validated';

/** Our providers read; none writes back (PushSecret is not supported). */
const CAPABILITIES = 'ReadOnly';

type Validation = Pick<StoreStatusRecord, 'ready' | 'reason' | 'message'>;
type StoreStatus = NonNullable<SecretStore['status']>;

/**
 * The status ESO writes on a store it controls, from our validation
 * (pkg/controllers/secretstore/common.go, reconcile and validateStore): the
 * `Ready` condition with ESO's reason, and the provider's capabilities. The
 * condition keeps its lastTransitionTime while its status stays (ESO's
 * SetExternalSecretCondition); times are whole seconds like the apiserver's.
 */
export function desiredStoreStatus(
  validation: Validation,
  current: SecretStore['status'],
  now: Date,
): StoreStatus {
  const status = validation.ready ? 'True' : 'False';
  const reason = validation.ready
    ? 'Valid'
    : validation.reason ?? 'ValidationFailed';
  const message = validation.ready
    ? MSG_STORE_VALIDATED
    : validation.message ?? reason;
  const previous = current?.conditions?.find(c => c.type === 'Ready');
  const lastTransitionTime =
    previous?.status === status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : `${now.toISOString().slice(0, 19)}Z`;
  return {
    ...current,
    capabilities: CAPABILITIES,
    conditions: [
      ...(current?.conditions ?? []).filter(c => c.type !== 'Ready'),
      {
        type: 'Ready',
        status,
        reason: reason as any,
        message,
        lastTransitionTime,
      },
    ],
  };
}

/**
 * Writes a store's status when it differs from what the store shows: a steady
 * store costs no write. A failed write is logged and retried next validation.
 */
export async function writeStoreStatusIfChanged(options: {
  client: ClusterClient;
  store: SecretStore;
  validation: Validation;
  now: Date;
  logger: LoggerService;
}): Promise<boolean> {
  const { client, store, validation, now } = options;
  const desired = desiredStoreStatus(validation, store.status, now);
  if (sameStatus(desired, store.status)) return false;
  const { name, namespace = '', resourceVersion } = store.metadata;
  try {
    await client.replaceSecretStoreStatus(
      store.kind,
      namespace,
      name,
      desired,
      resourceVersion ?? '',
    );
    await emitKubernetesEvent({
      client,
      object: store,
      now,
      logger: options.logger,
      event: validation.ready
        ? { type: 'Normal', reason: 'Valid', message: MSG_STORE_VALIDATED }
        : {
            type: 'Warning',
            reason: desired.conditions![desired.conditions!.length - 1].reason!,
            message: validation.message ?? 'store validation failed',
          },
    });
    return true;
  } catch (e) {
    options.logger.warn(
      `Could not write the status of ${store.kind} ${
        namespace ? `${namespace}/` : ''
      }${name}: ${
        (e as Error).message
      }; it is written again at its next validation (needs update on ${
        store.kind === 'ClusterSecretStore'
          ? 'clustersecretstores'
          : 'secretstores'
      }/status)`,
    );
    return false;
  }
}

function sameStatus(a: StoreStatus, b: SecretStore['status']): boolean {
  if (!b || a.capabilities !== b.capabilities) return false;
  const ready = (s: StoreStatus) => s.conditions?.find(c => c.type === 'Ready');
  const x = ready(a);
  const y = ready(b);
  return (
    !!y &&
    x?.status === y.status &&
    x?.reason === y.reason &&
    x?.message === y.message
  );
}
