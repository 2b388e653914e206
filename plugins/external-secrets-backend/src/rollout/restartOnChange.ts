import { AuditorService } from '@backstage/backend-plugin-api';
import {
  alreadyRestartedFor,
  RELOADER_ANNOTATIONS,
  restartOptIn,
  SecretConsumer,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  ConsumerRecord,
  PendingRestartRecord,
  RestartRecord,
} from '../database/StatusStore';
import { SyncOutcome } from '../reconciler/CycleContext';
import { WorkItem } from '../reconciler/WorkItem';
import {
  pendingAfterFailure,
  pendingNotTried,
  RestartChange,
  retryDue,
} from './pendingRestart';
import { restartWorkload } from './restartWorkload';

/** Whether this cycle's data change restarts opted-in workloads at all. */
export function restartsOnChange(
  item: WorkItem,
  outcome: SyncOutcome,
  mode: 'observe' | 'restart',
): boolean {
  return (
    mode === 'restart' &&
    item.inventory.config.mode === 'reconcile' &&
    outcome.record.state === 'Synced'
  );
}

/**
 * The restart on change: only where we wrote the change ourselves (reconcile
 * mode, `rollout: restart`), only for an update that changed the data-hash
 * (never a failed, unchanged or first sync), never a CronJob (its next run
 * reads the new value), and at most once per change: a pod template that
 * already names this hash is left alone. A paused Deployment keeps the
 * restart pending (no patch, no error) and gets it once resumed.
 *
 * A patch the apiserver refused stays pending (saved with the consumer) and
 * is tried again at the next cycles, each attempt audited, until one lands or
 * the data changes again; a 403 is retried every FORBIDDEN_RETRY_MS only.
 */
export async function restartOnChange(
  item: WorkItem,
  outcome: SyncOutcome,
  workload: WorkloadObject,
  consumer: SecretConsumer,
  before: ConsumerRecord | undefined,
  mode: 'observe' | 'restart',
  options: { auditor: AuditorService; now: Date },
): Promise<{
  lastRestart?: RestartRecord;
  optIn?: string;
  pending?: PendingRestartRecord;
}> {
  const secret = outcome.record.targetSecret;
  const { change, carried } = restartChangeFor(outcome, before);
  const optIn = restartOptIn({
    workload,
    secretName: secret,
    secretAnnotations: change?.secretAnnotations,
    externalSecretAnnotations: annotationsOf(item.raw),
    uses: consumer.uses,
  });
  if (
    !optIn ||
    !change ||
    mode !== 'restart' ||
    item.inventory.config.mode !== 'reconcile' ||
    consumer.kind === 'CronJob' ||
    (carried && before?.lastRestart?.hash === change.hash) ||
    alreadyRestartedFor(workload, secret, change.hash)
  ) {
    return { optIn };
  }
  if (consumer.paused) {
    // Not now, but not forgotten: the restart lands once it is resumed.
    return {
      optIn,
      pending:
        carried ??
        pendingNotTried(
          change,
          options.now,
          'the Deployment is paused (spec.paused); restarted once it is resumed',
        ),
    };
  }
  if (
    outcome.record.state !== 'Synced' ||
    (carried && !retryDue(carried, options.now))
  ) {
    return { optIn, pending: carried };
  }
  const attempt = (carried?.attempts ?? 0) + 1;
  try {
    const lastRestart = await restartWorkload(
      {
        client: item.inventory.client,
        namespace: item.namespace,
        kind: consumer.kind,
        workload: consumer.name,
        secret,
        externalSecret: item.name,
        entityRef: item.entityRef,
        dataHash: change.hash,
        uses: consumer.uses,
        by: 'on-change',
        now: options.now,
        change: {
          previousHash: change.previousHash,
          changedKeys: change.changedKeys,
        },
        optIn,
        attempt,
      },
      options.auditor,
    );
    return { lastRestart, optIn };
  } catch (e) {
    return {
      optIn,
      pending: pendingAfterFailure(change, attempt, e as Error, options.now),
    };
  }
}

/**
 * The change to restart for: this cycle's write that changed the data-hash,
 * or else a restart still pending for the data the Secret holds now (a newer
 * change replaces it).
 */
function restartChangeFor(
  outcome: SyncOutcome,
  before: ConsumerRecord | undefined,
): { change?: RestartChange; carried?: PendingRestartRecord } {
  const fresh = freshChange(outcome);
  if (fresh) return { change: fresh };
  const carried = before?.pendingRestart;
  if (
    !outcome.dataChanged &&
    carried &&
    carried.hash === outcome.record.dataHash
  ) {
    return { change: carried, carried };
  }
  return {};
}

/** This cycle's write that changed the data-hash (never the Secret's creation). */
export function freshChange(outcome: SyncOutcome): RestartChange | undefined {
  const fresh = outcome.dataChanged;
  if (!fresh || fresh.previousHash === undefined) return undefined;
  return {
    hash: fresh.hash,
    previousHash: fresh.previousHash,
    changedKeys: fresh.changedKeys,
    secretAnnotations: reloaderSecretAnnotations(fresh.secretAnnotations),
  };
}

/** Reloader's match / ignore on the Secret: all a retry needs of its annotations. */
function reloaderSecretAnnotations(
  annotations: Record<string, string>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key of [RELOADER_ANNOTATIONS.match, RELOADER_ANNOTATIONS.ignore]) {
    if (annotations[key] !== undefined) kept[key] = annotations[key];
  }
  return kept;
}

function annotationsOf(raw: unknown): Record<string, string> {
  return (
    (raw as { metadata?: { annotations?: Record<string, string> } })?.metadata
      ?.annotations ?? {}
  );
}
