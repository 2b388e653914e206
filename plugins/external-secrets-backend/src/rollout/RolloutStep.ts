import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  alreadyRestartedFor,
  consumerVerdict,
  findConsumer,
  PodStart,
  RELOADER_ANNOTATIONS,
  restartOptIn,
  SecretConsumer,
  WORKLOAD_KINDS,
  WorkloadKind,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  ConsumerRecord,
  ExternalSecretRecord,
  PendingRestartRecord,
  RestartRecord,
  RolloutRecord,
  StatusStore,
} from '../database/StatusStore';
import { selectorString } from '../kubernetes/workloadMapping';
import { SyncOutcome } from '../reconciler/CycleContext';
import { WorkItem } from '../reconciler/WorkItem';
import {
  describePending,
  pendingAfterFailure,
  pendingNotTried,
  RestartChange,
  retryDue,
} from './pendingRestart';
import { restartWorkload } from './restartWorkload';
import { WorkloadListings } from './WorkloadListings';

export type RolloutStepOptions = {
  statusStore: StatusStore;
  auditor: AuditorService;
  logger: LoggerService;
  now: Date;
  listings: WorkloadListings;
};

/**
 * After an ExternalSecret's sync: which workloads of its namespace read the
 * target Secret, whether their pods run its current data, and, in clusters
 * with `rollout: restart` that we reconcile, the restart on change of the
 * workloads that opted in. Saves the findings when they changed. Never throws:
 * a failure is logged and recorded as the rollout's error.
 */
export async function runRolloutStep(
  item: WorkItem,
  outcome: SyncOutcome,
  previous: ExternalSecretRecord | undefined,
  options: RolloutStepOptions,
): Promise<void> {
  const id = {
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    name: item.name,
  };
  const mode = item.inventory.config.rollout ?? 'off';
  try {
    const rollout =
      mode === 'off' || item.error
        ? undefined
        : await findRollout(item, outcome, previous, mode, options);
    if (JSON.stringify(rollout) !== JSON.stringify(previous?.rollout)) {
      await options.statusStore.saveRollout(id, rollout);
    }
  } catch (e) {
    options.logger.warn(
      `Rollout of ExternalSecret ${id.cluster}/${id.namespace}/${
        id.name
      } failed: ${(e as Error).message}`,
    );
  }
}

async function findRollout(
  item: WorkItem,
  outcome: SyncOutcome,
  previous: ExternalSecretRecord | undefined,
  mode: 'observe' | 'restart',
  options: RolloutStepOptions,
): Promise<RolloutRecord> {
  const { client } = item.inventory;
  const secret = outcome.record.targetSecret;
  const listed = await options.listings.workloads(client, item.namespace);
  const errors = listed.error ? [listed.error] : [];
  const consumers: ConsumerRecord[] = [];
  for (const workload of listed.workloads) {
    const consumer = findConsumer(workload, secret);
    if (!consumer) continue;
    const before = previous?.rollout?.consumers.find(
      c => c.kind === consumer.kind && c.name === consumer.name,
    );
    const restart = await restartOnChange(
      item,
      outcome,
      workload,
      consumer,
      before,
      mode,
      options,
    );
    if (restart.pending && restart.pending.attempts > 0) {
      errors.push(
        describePending(
          `${consumer.kind} ${item.namespace}/${consumer.name}`,
          restart.pending,
        ),
      );
    }
    const pods = await podsOf(item, workload, consumer, options).catch(e => {
      errors.push((e as Error).message);
      return undefined;
    });
    consumers.push(
      toConsumerRecord(
        consumer,
        workload,
        outcome.record,
        pods,
        restart.lastRestart ?? before?.lastRestart,
        restart.optIn,
        restart.pending,
      ),
    );
  }
  const carried = carriedConsumers(
    previous,
    listed.unlisted,
    restartsOnChange(item, outcome, mode) ? freshChange(outcome) : undefined,
    options.now,
  );
  for (const consumer of carried) {
    if (consumer.pendingRestart && consumer.pendingRestart.attempts > 0) {
      errors.push(
        describePending(
          `${consumer.kind} ${item.namespace}/${consumer.name}`,
          consumer.pendingRestart,
        ),
      );
    }
  }
  return {
    mode,
    consumers: inKindOrder([...consumers, ...carried]),
    ...(errors.length > 0 && { error: errors.join('; ') }),
  };
}

/**
 * The previous consumers of the kinds that could not be listed this cycle: a
 * kind that failed to list (a timeout, a missing grant) says nothing about
 * its workloads, and dropping them would erase their pending restart and last
 * restart, so the restart would never be retried. Kept as they were, except
 * that an opted-in one gets this cycle's data change as a pending restart,
 * tried (opt-in and template checked again) once its kind lists again.
 */
function carriedConsumers(
  previous: ExternalSecretRecord | undefined,
  unlisted: readonly WorkloadKind[],
  change: RestartChange | undefined,
  now: Date,
): ConsumerRecord[] {
  return (previous?.rollout?.consumers ?? [])
    .filter(c => unlisted.includes(c.kind))
    .map(c =>
      change && c.restartOn && c.kind !== 'CronJob'
        ? {
            ...c,
            pendingRestart: pendingNotTried(
              change,
              now,
              `its ${c.kind}s could not be listed; restarted once they list again`,
            ),
          }
        : c,
    );
}

/** Whether this cycle's data change restarts opted-in workloads at all. */
function restartsOnChange(
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

/** Consumers in list order: kind by kind, as the listings return them. */
function inKindOrder(consumers: ConsumerRecord[]): ConsumerRecord[] {
  return WORKLOAD_KINDS.flatMap(kind => consumers.filter(c => c.kind === kind));
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
async function restartOnChange(
  item: WorkItem,
  outcome: SyncOutcome,
  workload: WorkloadObject,
  consumer: SecretConsumer,
  before: ConsumerRecord | undefined,
  mode: 'observe' | 'restart',
  options: RolloutStepOptions,
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
function freshChange(outcome: SyncOutcome): RestartChange | undefined {
  const fresh = outcome.dataChanged;
  if (!fresh || fresh.previousHash === undefined) return undefined;
  return {
    hash: fresh.hash,
    previousHash: fresh.previousHash,
    changedKeys: fresh.changedKeys,
    secretAnnotations: reloaderSecretAnnotations(fresh.secretAnnotations),
  };
}

async function podsOf(
  item: WorkItem,
  workload: WorkloadObject,
  consumer: SecretConsumer,
  options: RolloutStepOptions,
): Promise<PodStart[] | undefined> {
  if (consumer.updates === 'next-run') return undefined;
  const selector = selectorString(workload.spec?.selector);
  if (!selector) return undefined;
  return options.listings.podsOf(
    item.inventory.client,
    item.namespace,
    selector,
  );
}

function toConsumerRecord(
  consumer: SecretConsumer,
  workload: WorkloadObject,
  record: ExternalSecretRecord,
  pods: PodStart[] | undefined,
  lastRestart: RestartRecord | undefined,
  optIn: string | undefined,
  pendingRestart: PendingRestartRecord | undefined,
): ConsumerRecord {
  const restartedForChange =
    Boolean(record.dataHash) &&
    (lastRestart?.hash === record.dataHash ||
      alreadyRestartedFor(workload, record.targetSecret, record.dataHash!));
  const verdict = consumerVerdict({
    updates: consumer.updates,
    pods,
    dataChangedAt: record.dataChangedAt,
    restartRequestedForChange: restartedForChange,
    onDelete: consumer.onDelete,
  });
  const reads = [
    ...new Set(
      consumer.uses.flatMap(u =>
        u.subPath ? [u.via, 'subPath' as const] : [u.via],
      ),
    ),
  ];
  return {
    kind: consumer.kind,
    name: consumer.name,
    reads,
    containers: [...new Set(consumer.uses.map(u => u.container))],
    updates: consumer.updates,
    verdict: verdict.state,
    pods: verdict.pods,
    stalePods: verdict.stalePods,
    paused: consumer.paused,
    ...(consumer.onDelete && { updateStrategy: 'OnDelete' as const }),
    ...(optIn && { restartOn: optIn as ConsumerRecord['restartOn'] }),
    ...(lastRestart && { lastRestart }),
    ...(pendingRestart && { pendingRestart }),
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
