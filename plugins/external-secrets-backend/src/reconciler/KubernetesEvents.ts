import { LoggerService } from '@backstage/backend-plugin-api';
import { CoreV1Event } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { ClusterClient } from '../kubernetes/ClusterClient';

/** Who reports the Event, as `kubectl describe` shows it ("From"). */
export const REPORTING_CONTROLLER = 'backstage-external-secrets';

/**
 * ESO's event reasons and messages
 * (pkg/controllers/externalsecret/externalsecret_controller.go: eventCreated,
 * eventUpdated, eventDeleted with esv1.ReasonCreated/Updated/Deleted, Normal;
 * esv1.ReasonUpdateFailed with the error, Warning; and
 * pkg/controllers/secretstore/common.go: ReasonStoreValid "store validated",
 * Normal; the failure reason with the cause, Warning).
 */
export type KubernetesEventSpec = {
  type: 'Normal' | 'Warning';
  reason: string;
  /** Never a secret value: names, reasons and causes only. */
  message: string;
};

export const SECRET_CREATED: KubernetesEventSpec = {
  type: 'Normal',
  reason: 'Created',
  message: 'secret created',
};
export const SECRET_UPDATED: KubernetesEventSpec = {
  type: 'Normal',
  reason: 'Updated',
  message: 'secret updated',
};
export const SECRET_DELETED: KubernetesEventSpec = {
  type: 'Normal',
  reason: 'Deleted',
  message: 'secret deleted due to DeletionPolicy=Delete',
};

type InvolvedObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
  };
};

/**
 * Records a core v1 Event on `object`, as ESO's recorder does. Callers emit
 * only on a transition, so a steady state writes none. Best effort: a failed
 * Event (e.g. RBAC without `create` on `events`) is logged, never fails a sync.
 */
export async function emitKubernetesEvent(options: {
  client: ClusterClient;
  object: InvolvedObject;
  event: KubernetesEventSpec;
  now: Date;
  logger: LoggerService;
}): Promise<void> {
  const { object, event, now } = options;
  // Cluster-scoped objects' Events live in `default`, as client-go puts them.
  const namespace = object.metadata.namespace || 'default';
  // Whole seconds, as metav1.Time.
  const time = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const body: CoreV1Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      // client-go names an Event `<object>.<unique hex>`.
      name: `${object.metadata.name}.${now.getTime().toString(16)}${randomBytes(
        4,
      ).toString('hex')}`,
      namespace,
    },
    involvedObject: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace || undefined,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
    },
    type: event.type,
    reason: event.reason,
    message: event.message,
    source: { component: REPORTING_CONTROLLER },
    reportingComponent: REPORTING_CONTROLLER,
    reportingInstance: REPORTING_CONTROLLER,
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
  try {
    await options.client.createEvent(body);
  } catch (e) {
    options.logger.warn(
      `Could not record the ${event.reason} event on ${object.kind} ${
        object.metadata.namespace ? `${object.metadata.namespace}/` : ''
      }${object.metadata.name}: ${
        (e as Error).message
      } (needs create on events)`,
    );
  }
}

/**
 * The Event of one ExternalSecret sync, on a transition only: a Secret
 * created, updated or deleted (a write happens only on a change), or a failure
 * whose message differs from the previous cycle's (a repeated failure records
 * nothing new, so a broken steady state writes none either).
 */
export async function recordSyncEvent(options: {
  client: ClusterClient;
  externalSecret: InvolvedObject;
  action: string | undefined;
  failure: { message: string } | undefined;
  previous: { consecutiveFailures?: number; message?: string } | undefined;
  now: Date;
  logger: LoggerService;
}): Promise<void> {
  const { failure, previous } = options;
  let event: KubernetesEventSpec | undefined;
  if (failure) {
    const repeated =
      (previous?.consecutiveFailures ?? 0) > 0 &&
      previous?.message === failure.message;
    if (!repeated) {
      event = {
        type: 'Warning',
        reason: 'UpdateFailed',
        message: failure.message,
      };
    }
  } else if (options.action === 'create') event = SECRET_CREATED;
  else if (options.action === 'update') event = SECRET_UPDATED;
  else if (options.action === 'delete') event = SECRET_DELETED;
  if (!event) return;
  await emitKubernetesEvent({
    client: options.client,
    object: options.externalSecret,
    event,
    now: options.now,
    logger: options.logger,
  });
}
