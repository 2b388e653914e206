import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  alreadyRestartedFor,
  consumerVerdict,
  findConsumer,
  PodStart,
  restartOptIn,
  SecretConsumer,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  ConsumerRecord,
  ExternalSecretRecord,
  RestartRecord,
  RolloutRecord,
  StatusStore,
} from '../database/StatusStore';
import { selectorString } from '../kubernetes/workloadMapping';
import { SyncOutcome } from '../reconciler/CycleContext';
import { WorkItem } from '../reconciler/WorkItem';
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
      mode,
      options,
    ).catch(e => {
      errors.push(
        `could not restart ${consumer.kind} ${item.namespace}/${
          consumer.name
        }: ${(e as Error).message}`,
      );
      return undefined;
    });
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
        restart?.lastRestart ?? before?.lastRestart,
        restart?.optIn,
      ),
    );
  }
  return {
    mode,
    consumers,
    ...(errors.length > 0 && { error: errors.join('; ') }),
  };
}

/**
 * The restart on change: only where we wrote the change ourselves (reconcile
 * mode, `rollout: restart`), only for an update that changed the data-hash
 * (never a failed, unchanged or first sync), never a paused Deployment or a
 * CronJob (its next run reads the new value), and at most once per change:
 * a pod template that already names this hash is left alone.
 */
async function restartOnChange(
  item: WorkItem,
  outcome: SyncOutcome,
  workload: WorkloadObject,
  consumer: SecretConsumer,
  mode: 'observe' | 'restart',
  options: RolloutStepOptions,
): Promise<{ lastRestart?: RestartRecord; optIn?: string }> {
  const secret = outcome.record.targetSecret;
  const change = outcome.dataChanged;
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
    change.previousHash === undefined ||
    mode !== 'restart' ||
    item.inventory.config.mode !== 'reconcile' ||
    outcome.record.state !== 'Synced' ||
    consumer.kind === 'CronJob' ||
    consumer.paused ||
    alreadyRestartedFor(workload, secret, change.hash)
  ) {
    return { optIn };
  }
  const lastRestart = await restartWorkload(
    {
      client: item.inventory.client,
      namespace: item.namespace,
      kind: consumer.kind,
      workload: consumer.name,
      secret: outcome.record.targetSecret,
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
    },
    options.auditor,
  );
  return { lastRestart, optIn };
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
    ...(optIn && { restartOn: optIn as ConsumerRecord['restartOn'] }),
    ...(lastRestart && { lastRestart }),
  };
}

function annotationsOf(raw: unknown): Record<string, string> {
  return (
    (raw as { metadata?: { annotations?: Record<string, string> } })?.metadata
      ?.annotations ?? {}
  );
}
