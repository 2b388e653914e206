import {
  Condition,
  ExternalSecret,
  ExternalSecretConditionReason,
  ExternalSecretStatus,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ExternalSecretRecord } from '../database/StatusStore';
import { CycleContext } from './CycleContext';
import { writeStatus } from './SecretWriter';
import { WorkItem } from './WorkItem';

/**
 * The Ready condition and sync times on an ExternalSecret's status, kept as
 * ESO keeps them (pkg/controllers/externalsecret/util.go).
 */

/**
 * When did it last sync? Our database first (shared by replicas); else the
 * status a previous controller (ESO) left on the CR, so taking a cluster over
 * from ESO does not resync everything at once.
 */
export function lastStatus(
  item: WorkItem,
  previous: ExternalSecretRecord | undefined,
  es: ExternalSecret,
): ExternalSecretStatus {
  if (previous?.lastSuccessAt && previous.syncedResourceVersion) {
    return {
      refreshTime: previous.lastSuccessAt.toISOString(),
      syncedResourceVersion: previous.syncedResourceVersion,
    };
  }
  return item.origin === 'cluster' ? es.status ?? {} : {};
}

/**
 * ESO keeps `lastTransitionTime` while the status stays the same, whatever the
 * reason and message (pkg/controllers/externalsecret/util.go,
 * SetExternalSecretCondition).
 */
export function keepTransitionTime(
  condition: Condition<ExternalSecretConditionReason>,
  es: ExternalSecret,
) {
  const old = es.status?.conditions?.find(c => c.type === 'Ready');
  if (old?.lastTransitionTime && old.status === condition.status) {
    return { ...condition, lastTransitionTime: old.lastTransitionTime };
  }
  return condition;
}

/**
 * Ready=False on the CR of an ExternalSecret we reconcile, as ESO sets it on
 * every failure before it returns (externalsecret_controller.go, Reconcile).
 */
export async function reportFailure(
  item: WorkItem,
  es: ExternalSecret,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
  message: string,
) {
  if (item.origin !== 'cluster' || item.inventory.config.mode !== 'reconcile')
    return;
  await writeStatus(
    item,
    es,
    keepTransitionTime(errorCondition(message, ctx.now), es),
    ctx,
    lastStatus(item, previous, es),
  );
}

export function errorCondition(
  message: string,
  now: Date,
): Condition<ExternalSecretConditionReason> {
  return {
    type: 'Ready',
    status: 'False',
    reason: 'SecretSyncedError',
    message,
    lastTransitionTime: now.toISOString(),
  };
}
