import type { SchedulerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';

/** A task id nothing schedules. */
const PROBE_TASK_ID = 'external-secrets-scheduler-tables-probe';

/**
 * Has Backstage's scheduler create its tables in this plugin's database now.
 * It migrates them (`backstage_backend_tasks__knex_migrations`) on its first
 * database use, with the same knex race as the plugin's own migrations
 * (knex/knex#3457): replicas starting together on an empty database failed in
 * their first scheduleTask with `relation
 * "backstage_backend_tasks__knex_migrations_lock" already exists`, and the
 * scheduler keeps that failure for the life of the process. Called under the
 * plugin's migration lock (see migrateToLatest), so one replica at a time.
 * Cancelling a task no one scheduled is a database use with no effect: the
 * scheduler migrates, then answers NotFound (cancel rather than trigger, so
 * the plugin's own triggerTask calls stay the only ones).
 */
export async function prepareSchedulerTables(
  scheduler: SchedulerService,
): Promise<void> {
  try {
    await scheduler.cancelTask(PROBE_TASK_ID);
  } catch (error) {
    if (!isError(error) || error.name !== 'NotFoundError') throw error;
  }
}
