import {
  ANNOTATION_DATA_HASH,
  parseGoDuration,
  ParsedExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  ExternalSecretRecord,
  ExternalSecretState,
  KeyStatusRecord,
} from '../database/StatusStore';
import { CycleContext, SyncOutcome } from './CycleContext';
import { baseRecord, declaredKeys } from './syncRecords';
import { WorkItem } from './WorkItem';

/** Observe mode has no per-key truth: keys take the ExternalSecret's state. */
const OBSERVED_KEY_STATE: Record<
  ExternalSecretState,
  KeyStatusRecord['state']
> = {
  Synced: 'synced',
  Error: 'error',
  Pending: 'pending',
  NotFound: 'pending',
  Unsupported: 'unsupported',
};

/**
 * Observe mode: ESO syncs; we report what its status says and whether the
 * target exists, from Secret METADATA only (values never leave the apiserver).
 */
export async function observeExternalSecret(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
  why: string | undefined,
): Promise<SyncOutcome> {
  const es = parsed.externalSecret;
  const ready = es.status?.conditions?.find(c => c.type === 'Ready');
  let targetExists: boolean | undefined;
  let observedHash: string | undefined;
  try {
    const target = await item.inventory.client.getSecretMetadata(
      item.namespace,
      es.spec.target.name,
    );
    targetExists = Boolean(target);
    observedHash = target?.annotations?.[ANNOTATION_DATA_HASH];
  } catch (e) {
    ctx.logger.warn(
      `Observe ${item.namespace}/${item.name}: ${(e as Error).message}`,
    );
  }
  let state: ExternalSecretState = 'Pending';
  let reason: string | undefined = ready?.reason;
  let esoMessage = ready?.message;
  if (ready?.status === 'True') {
    const stale = staleness(
      es.spec.refreshInterval,
      es.status?.refreshTime,
      ctx.now,
    );
    if (targetExists === false) {
      // ESO sets Ready=True after it applied the Secret: not seeing it yet is
      // a race with our read, not a missing Secret.
      reason = 'WaitingForTarget';
      esoMessage = `ESO reports the Secret synced (${
        ready.message || ready.reason
      }); the target Secret "${
        es.spec.target.name
      }" is not visible yet, waiting for it`;
    } else {
      state = 'Synced';
      if (stale) {
        reason = 'Stale';
        esoMessage = stale;
      }
    }
  }
  if (ready?.status === 'False') state = 'Error';
  const message = [esoMessage, why].filter(Boolean).join('; ') || undefined;
  const keyState = OBSERVED_KEY_STATE[state];
  const record: ExternalSecretRecord = {
    ...baseRecord(item, parsed, 'observe'),
    state,
    reason,
    message,
    // ESO's data-hash annotation on the Secret (a digest, never a value).
    dataHash: observedHash ?? previous?.dataHash,
    // ESO writes the Secret: the change is dated when we first see its new
    // hash (at most one cycle late); unknown until a change is seen.
    dataChangedAt:
      observedHash && previous?.dataHash && observedHash !== previous.dataHash
        ? ctx.now
        : previous?.dataChangedAt,
    lastAttemptAt: ctx.now,
    lastSuccessAt: es.status?.refreshTime
      ? new Date(es.status.refreshTime)
      : undefined,
    consecutiveFailures: 0,
    keys: declaredKeys(parsed, keyState),
  };
  const changed =
    !previous ||
    previous.state !== record.state ||
    previous.reason !== record.reason ||
    previous.message !== record.message ||
    previous.dataHash !== record.dataHash ||
    previous.lastSuccessAt?.getTime() !== record.lastSuccessAt?.getTime();
  return { record, changed, events: [] };
}

/** Slack past refreshInterval before ESO's status counts as stale. */
const MIN_STALE_SLACK_MS = 5 * 60_000;

/**
 * Why ESO's Ready status is stale, or undefined: ESO moves refreshTime on
 * every refresh, so one older than refreshInterval plus slack (half the
 * interval, at least 5 minutes) means ESO stopped refreshing it. Never with
 * refreshInterval 0 (ESO then syncs once).
 */
export function staleness(
  refreshInterval: string | undefined,
  refreshTime: string | undefined,
  now: Date,
): string | undefined {
  const intervalMs = parseGoDuration(refreshInterval ?? '1h');
  const refreshedAt = refreshTime ? Date.parse(refreshTime) : NaN;
  if (!intervalMs || Number.isNaN(refreshedAt)) return undefined;
  const age = now.getTime() - refreshedAt;
  const slack = Math.max(MIN_STALE_SLACK_MS, intervalMs / 2);
  if (age <= intervalMs + slack) return undefined;
  return `ESO's status is stale: last refreshed ${formatAge(
    age,
  )} ago, with refreshInterval ${refreshInterval ?? '1h'} (is ESO running?)`;
}

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  return `${Math.floor(hours / 24)}d`;
}
