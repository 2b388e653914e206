import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { StatusStore } from '../database/StatusStore';
import { ClusterChanges } from './ClusterChanges';
import { ClusterLease } from './ClusterLease';
import { ClusterRegistry } from './ClusterRegistry';
import { ReconcileCycle } from './ReconcileCycle';

export const RECONCILE_TASK_ID = 'external-secrets-reconcile';

/** The scheduled task of one cluster. */
export function clusterTaskId(cluster: string): string {
  return `${RECONCILE_TASK_ID}:${cluster}`;
}

/** Between two runs of a held cluster: how soon a replica may claim it again. */
const LEASE_GAP = { seconds: 2 };
const DEBOUNCE_MS = 50;
const REQUEST_CHECK_MS = 2_000;
const WATCH_GRACE_MS = 30_000;

export type WatchSettings = { enabled: boolean };

/**
 * One scheduled task per cluster, `scope: 'global'`: replicas on one database
 * spread the clusters (whichever replica claims a cluster's run does it; the
 * scheduler's lock keeps it to one at a time), and a replica that dies hands
 * its clusters over once its runs time out. No leader election of our own.
 *
 * With watches (a cluster client that has a watcher, `externalSecrets.watch`
 * on, and a `frequency` that is a duration), a run holds its cluster for
 * `frequency`: a full cycle first (the periodic resync), then small cycles for
 * what the watches mark due. The task itself is then due every 2 s (another
 * replica, or the same, takes the next run) and its timeout is the configured
 * one plus `frequency`. Otherwise each run is one full cycle at `frequency`.
 */
export async function scheduleReconcileTask(options: {
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  cycle: ReconcileCycle;
  clusters: ClusterRegistry;
  statusStore: StatusStore;
  logger: LoggerService;
  watch?: WatchSettings;
}): Promise<{ stop(): void }> {
  const { scheduler, schedule, cycle, clusters, statusStore, logger } = options;
  const frequencyMs = durationMs(schedule.frequency);
  const timeoutMs = durationMs(schedule.timeout);
  if (clusters.list().length === 0) {
    // No cluster: the cycle still validates the stores declared in config.
    await scheduler.scheduleTask({
      id: RECONCILE_TASK_ID,
      scope: 'global',
      ...schedule,
      fn: async signal => {
        await cycle.run(signal);
      },
    });
    return { stop: () => undefined };
  }
  const leases: ClusterLease[] = [];
  const clusterList = clusters.list();
  for (const [index, cluster] of clusterList.entries()) {
    const { watcher } = cluster.client;
    const holdMs =
      options.watch?.enabled !== false && watcher && frequencyMs && timeoutMs
        ? frequencyMs
        : 0;
    const lease = new ClusterLease({
      cluster,
      cycle,
      statusStore,
      logger,
      holdMs,
      debounceMs: DEBOUNCE_MS,
      requestCheckMs: REQUEST_CHECK_MS,
      watchGraceMs: WATCH_GRACE_MS,
      changes:
        holdMs > 0 && watcher
          ? new ClusterChanges({
              cluster: cluster.config.name,
              mode: cluster.config.mode,
              watcher,
              logger,
            })
          : undefined,
    });
    leases.push(lease);
    const cadenceMs = holdMs > 0 ? durationMs(LEASE_GAP) : frequencyMs;
    await scheduler.scheduleTask({
      id: clusterTaskId(cluster.config.name),
      scope: 'global',
      ...schedule,
      ...(holdMs > 0 && {
        frequency: LEASE_GAP,
        timeout: { milliseconds: timeoutMs! + holdMs },
      }),
      initialDelay: staggeredInitialDelay(
        schedule.initialDelay,
        cadenceMs,
        index,
        clusterList.length,
      ),
      fn: signal => lease.run(signal),
    });
  }
  return { stop: () => leases.forEach(lease => lease.stop()) };
}

/** How often a replica's scheduler looks for due tasks (Backstage's default work check). */
const WORK_CHECK_MS = 5_000;

/**
 * The configured initial delay plus this cluster's share of one work check.
 * Each replica's scheduler finds every due task in one poll, so clusters due
 * at the same moment all went to whichever replica polled first (the bench's
 * two replicas × 4 clusters: one replica ran all four). Spread over the
 * period between two polls, each cluster falls due on its own and goes to
 * the replica that polls first after it; the scheduler keeps each task's
 * phase (next run = previous due time + frequency).
 */
export function staggeredInitialDelay(
  initialDelay: SchedulerServiceTaskScheduleDefinition['initialDelay'],
  cadenceMs: number | undefined,
  index: number,
  count: number,
): HumanDuration | undefined {
  const baseMs = durationMs(initialDelay) ?? 0;
  const periodMs = Math.min(WORK_CHECK_MS, cadenceMs ?? WORK_CHECK_MS);
  const offsetMs = Math.floor((periodMs * index) / count);
  if (baseMs + offsetMs === 0) return undefined;
  return { milliseconds: baseMs + offsetMs };
}

/**
 * Asks the scheduler to run the clusters' tasks now (sync-now, webhooks).
 * A cluster held by a run at the moment sees the request in the database
 * within seconds instead.
 */
export async function triggerReconcile(
  scheduler: SchedulerService,
  logger: LoggerService,
  clusters: Iterable<string>,
) {
  for (const cluster of new Set(clusters)) {
    try {
      await scheduler.triggerTask(clusterTaskId(cluster));
    } catch (e) {
      logger.debug(`Reconcile trigger skipped: ${(e as Error).message}`);
    }
  }
}

/** Milliseconds of a duration; undefined for a cron or manual frequency. */
function durationMs(
  value: SchedulerServiceTaskScheduleDefinition['frequency'] | undefined,
): number | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if ('cron' in value || 'trigger' in value) return undefined;
  if ('toMillis' in value && typeof value.toMillis === 'function')
    return value.toMillis();
  return durationToMilliseconds(value as HumanDuration);
}
