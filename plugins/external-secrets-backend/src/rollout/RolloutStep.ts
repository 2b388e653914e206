import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  alreadyRestartedFor,
  consumerVerdict,
  findConsumer,
  PodStart,
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
  pendingNotTried,
  RestartChange,
} from './pendingRestart';
import {
  freshChange,
  restartOnChange,
  restartsOnChange,
} from './restartOnChange';
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

/** Consumers in list order: kind by kind, as the listings return them. */
function inKindOrder(consumers: ConsumerRecord[]): ConsumerRecord[] {
  return WORKLOAD_KINDS.flatMap(kind => consumers.filter(c => c.kind === kind));
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
