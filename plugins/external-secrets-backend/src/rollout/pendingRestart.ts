import { ClusterError } from '../kubernetes/ClusterError';
import { PendingRestartRecord } from '../database/StatusStore';

/**
 * How long a restart refused with 403 waits before its next try. A missing
 * RBAC grant is fixed by a person, not by the next cycle: retrying every cycle
 * would only add a forbidden request and a failed audit event per cycle, while
 * retrying at all lets the restart land on its own once `patch` is granted.
 */
export const FORBIDDEN_RETRY_MS = 10 * 60_000;

/** The change a restart is for: hashes, key NAMES, Reloader's match/ignore on the Secret. */
export type RestartChange = Pick<
  PendingRestartRecord,
  'hash' | 'previousHash' | 'changedKeys' | 'secretAnnotations'
>;

/** The change's own fields only: a caller's record may carry more (e.g. a whole pending restart). */
function changeFields(change: RestartChange): RestartChange {
  return {
    hash: change.hash,
    previousHash: change.previousHash,
    changedKeys: change.changedKeys,
    secretAnnotations: change.secretAnnotations,
  };
}

/**
 * The pending restart after a refused patch: counts the attempt and keeps the
 * refusal (conflicts and server errors are retried at the next cycle, a 403
 * every {@link FORBIDDEN_RETRY_MS}).
 */
export function pendingAfterFailure(
  change: RestartChange,
  attempt: number,
  error: Error,
  now: Date,
): PendingRestartRecord {
  return {
    ...changeFields(change),
    attempts: attempt,
    lastAttemptAt: now.toISOString(),
    forbidden: error instanceof ClusterError && error.errorType === 'FORBIDDEN',
    error: error.message,
  };
}

/**
 * A restart kept for later without a patch tried (a paused Deployment would
 * not roll; a workload kind that could not be listed cannot be patched), so
 * its first try is attempt 1. `reason` says why it waits.
 */
export function pendingNotTried(
  change: RestartChange,
  now: Date,
  reason: string,
): PendingRestartRecord {
  return {
    ...changeFields(change),
    attempts: 0,
    lastAttemptAt: now.toISOString(),
    forbidden: false,
    error: reason,
  };
}

/** Whether a pending restart is tried again in this cycle. */
export function retryDue(pending: PendingRestartRecord, now: Date): boolean {
  if (!pending.forbidden) return true;
  const last = Date.parse(pending.lastAttemptAt);
  return Number.isNaN(last) || now.getTime() - last >= FORBIDDEN_RETRY_MS;
}

/** The pending restart in the rollout's error: the refusal and when it is retried. */
export function describePending(
  workload: string,
  pending: PendingRestartRecord,
): string {
  const retry = pending.forbidden
    ? `retried every ${
        FORBIDDEN_RETRY_MS / 60_000
      } minutes until the grant is in place`
    : 'retried at the next cycle until it lands or the data changes again';
  return `could not restart ${workload} (attempt ${pending.attempts}): ${pending.error}; ${retry}`;
}
