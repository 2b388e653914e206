import {
  ExternalSecret,
  ParsedExternalSecret,
  parseGoDuration,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  ExternalSecretRecord,
  ExternalSecretState,
} from '../database/StatusStore';
import { SyncOutcome } from './CycleContext';
import { baseRecord, declaredKeys } from './syncRecords';
import { WorkItem } from './WorkItem';

/** When an ExternalSecret is next due: after a sync, after a failure, or not yet. */

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/**
 * Not due: nothing to read or write. A known ExternalSecret keeps its row as it
 * is (rows of `previous` carry no keys, so they are never re-saved from here);
 * one seen for the first time (e.g. taken over from ESO with a fresh status) is
 * recorded from its spec and status.
 */
export function notDue(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  previous: ExternalSecretRecord | undefined,
  nextDueAt: Date | undefined,
  message: string | undefined,
): SyncOutcome {
  if (previous && !message)
    return { record: previous, changed: false, events: [] };
  const ready = parsed.externalSecret.status?.conditions?.find(
    c => c.type === 'Ready',
  );
  const synced = !message && ready?.status === 'True';
  return {
    record: {
      ...baseRecord(item, parsed, 'reconcile'),
      state: notDueState(message, synced),
      reason: message ? 'SecretSyncedError' : ready?.reason,
      message: message ?? ready?.message,
      lastSuccessAt: parsed.externalSecret.status?.refreshTime
        ? new Date(parsed.externalSecret.status.refreshTime)
        : undefined,
      consecutiveFailures: previous?.consecutiveFailures ?? 0,
      nextDueAt,
      keys: declaredKeys(parsed, synced ? 'synced' : 'pending', message),
    },
    changed: true,
    events: [],
  };
}

function notDueState(
  message: string | undefined,
  synced: boolean,
): ExternalSecretState {
  if (message) return 'Error';
  return synced ? 'Synced' : 'Pending';
}

export function backoffUntil(now: Date, failures: number): Date {
  const delay = Math.min(
    BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1),
    BACKOFF_MAX_MS,
  );
  return new Date(now.getTime() + delay);
}

/** After a sync: when a Periodic refresh is next due (none for 0, OnChange, CreatedOnce). */
export function nextPeriodicDue(
  es: ExternalSecret,
  now: Date,
): Date | undefined {
  const intervalMs = parseGoDuration(es.spec.refreshInterval);
  if (es.spec.refreshPolicy !== 'Periodic' || !intervalMs || intervalMs <= 0) {
    return undefined;
  }
  return new Date(now.getTime() + intervalMs);
}
