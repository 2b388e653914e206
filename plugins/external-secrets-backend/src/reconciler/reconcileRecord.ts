import {
  Condition,
  ExternalSecret,
  ExternalSecretConditionReason,
  ParsedExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  ReconcileResult,
  syncedResourceVersion,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ExternalSecretRecord } from '../database/StatusStore';
import { backoffUntil, nextPeriodicDue } from './schedule';
import { producedMetadataKeys } from './staleMetadata';
import { baseRecord, stateOf, toKeyRecord } from './syncRecords';
import { WorkItem } from './WorkItem';

/** The database record of one reconcile: state, hashes, schedule and key states (never values). */
export function reconcileRecord(options: {
  item: WorkItem;
  parsed: ParsedExternalSecret;
  es: ExternalSecret;
  result: ReconcileResult;
  condition: Condition<ExternalSecretConditionReason>;
  failure: string | undefined;
  previous: ExternalSecretRecord | undefined;
  now: Date;
  heldBack: boolean;
}): ExternalSecretRecord {
  const { item, parsed, es, result, condition, failure, previous, now } =
    options;
  const failedNow = condition.status !== 'True';
  const failures = failedNow ? (previous?.consecutiveFailures ?? 0) + 1 : 0;
  return {
    ...baseRecord(item, parsed, 'reconcile'),
    state: stateOf(condition, result.keys),
    reason: condition.reason,
    message: condition.message,
    dataHash: (!failure && result.dataHash) || previous?.dataHash,
    syncedResourceVersion: failedNow
      ? previous?.syncedResourceVersion
      : syncedResourceVersion(es),
    lastAttemptAt: now,
    attemptedResourceVersion: syncedResourceVersion(es),
    lastSuccessAt: failedNow ? previous?.lastSuccessAt : now,
    nextDueAt: nextDue(es, now, failedNow, failures, options.heldBack),
    consecutiveFailures: failures,
    // What is on the Secret now: produced keys once written, else as before.
    writtenMetadata:
      failedNow || !result.desired
        ? previous?.writtenMetadata
        : producedMetadataKeys(es),
    keys: result.keys.map(toKeyRecord),
  };
}

/**
 * Periodic after a sync; a backoff after a failure, except when the store
 * gate held the reads back: then it is retried as soon as the store is
 * Ready again, not after a backoff of this ExternalSecret's own.
 */
function nextDue(
  es: ExternalSecret,
  now: Date,
  failedNow: boolean,
  failures: number,
  gatedOut: boolean,
): Date | undefined {
  if (!failedNow) return nextPeriodicDue(es, now);
  return gatedOut ? undefined : backoffUntil(now, failures);
}
