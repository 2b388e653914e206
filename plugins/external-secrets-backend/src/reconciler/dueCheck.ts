import {
  ExternalSecret,
  ExternalSecretStatus,
  ParsedExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  CurrentSecret,
  isDue,
  syncedResourceVersion,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ExternalSecretRecord } from '../database/StatusStore';
import { CycleContext, SyncOutcome } from './CycleContext';
import { Resolutions } from './decideMode';
import { notDue } from './schedule';
import { WorkItem } from './WorkItem';

/**
 * Whether to sync now, as ESO decides (isDue: refreshPolicy, refreshInterval,
 * spec changes, target drift), or earlier on a sync-now request, a webhook or
 * poll trigger, or a Merge conflict to report; a failing ExternalSecret backs
 * off unless its spec changed. Returns the not-due outcome, or undefined.
 */
export function skipUnlessDue(options: {
  item: WorkItem;
  parsed: ParsedExternalSecret;
  es: ExternalSecret;
  status: ExternalSecretStatus | undefined;
  current: CurrentSecret | undefined;
  previous: ExternalSecretRecord | undefined;
  stores: Resolutions;
  ctx: CycleContext;
}): SyncOutcome | undefined {
  const { item, parsed, es, status, current, previous, stores, ctx } = options;
  const forced =
    Boolean(
      previous?.syncRequestedAt &&
        (!previous.lastAttemptAt ||
          previous.syncRequestedAt > previous.lastAttemptAt),
    ) ||
    Boolean(
      ctx.mergeClaims?.takeNotice(
        `${item.inventory.config.name}/${item.namespace}/${item.name}`,
      ),
    );
  const due = isDue({
    externalSecret: es,
    status,
    now: ctx.now,
    targetSecret: current,
  });
  // A spec changed since the failing attempt is retried at once (ESO: a new
  // generation is a new reconcile, not a requeue), whatever `isDue` names first.
  const specChangedSinceAttempt =
    previous?.attemptedResourceVersion !== undefined &&
    previous.attemptedResourceVersion !== syncedResourceVersion(es);
  const backingOff =
    (previous?.consecutiveFailures ?? 0) > 0 &&
    previous?.nextDueAt !== undefined &&
    previous.nextDueAt > ctx.now &&
    due.reason !== 'spec-changed' &&
    !specChangedSinceAttempt;
  const triggered = ctx.propagation?.trigger({
    stores: [...stores.values()].flatMap(r => (r.ok ? [r.resolved] : [])),
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    lastAttemptAt: previous?.lastAttemptAt,
    now: ctx.now,
  });
  if (forced || ((due.due || triggered) && !backingOff)) return undefined;
  return notDue(
    item,
    parsed,
    previous,
    due.nextDueAt ?? previous?.nextDueAt,
    due.message,
  );
}
