import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { ReconcileCycle } from './ReconcileCycle';

export const RECONCILE_TASK_ID = 'external-secrets-reconcile';

/**
 * The scheduled task. `scope: 'global'` makes replicas on one database run each
 * cycle once; the timeout must stay above the worst cycle (after it another
 * replica may start while this one is aborted), and the cycle stops handing out
 * work once the abort signal fires.
 */
export async function scheduleReconcileTask(options: {
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  cycle: ReconcileCycle;
  logger: LoggerService;
}): Promise<void> {
  const { scheduler, schedule, cycle, logger } = options;
  await scheduler.scheduleTask({
    id: RECONCILE_TASK_ID,
    scope: 'global',
    ...schedule,
    fn: async signal => {
      const report = await cycle.run(signal);
      logger.info(
        `Reconcile cycle: ${report.externalSecrets} ExternalSecrets of ${report.entities} entities, ` +
          `${report.synced} ok, ${report.failed} failing, ${report.skipped} skipped (aborted), ${report.durationMs} ms`,
      );
    },
  });
}

/** Asks the scheduler to run the cycle now (sync-now); fine if one is already running. */
export async function triggerReconcile(
  scheduler: SchedulerService,
  logger: LoggerService,
) {
  try {
    await scheduler.triggerTask(RECONCILE_TASK_ID);
  } catch (e) {
    logger.debug(`Reconcile trigger skipped: ${(e as Error).message}`);
  }
}
