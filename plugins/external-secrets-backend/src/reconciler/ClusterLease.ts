import { LoggerService } from '@backstage/backend-plugin-api';
import { StatusStore } from '../database/StatusStore';
import { ClusterChanges } from './ClusterChanges';
import { RegisteredCluster } from './ClusterRegistry';
import { CycleReport, CycleScope, ReconcileCycle } from './ReconcileCycle';

export type ClusterLeaseOptions = {
  cluster: RegisteredCluster;
  cycle: ReconcileCycle;
  statusStore: StatusStore;
  logger: LoggerService;
  /**
   * How long one run of the cluster's task keeps the cluster after its full
   * cycle, serving watch events with small cycles (0: no watch, full cycle
   * only). The next run, on whichever replica claims it, starts with a full
   * cycle: that is the periodic resync.
   */
  holdMs: number;
  /** Events within this window become one small cycle. */
  debounceMs: number;
  /** How often a held cluster checks the database for sync-now / webhook requests. */
  requestCheckMs: number;
  /** Watches outlive a run by this much, in case the same replica claims the next run. */
  watchGraceMs: number;
  /** Started/stopped watches are the replica's, shared by its runs. */
  changes?: ClusterChanges;
};

/**
 * One run of a cluster's scheduled task (`scope: 'global'`, so one replica
 * at a time holds a cluster): a full cycle of the cluster, then, while the run
 * lasts, small cycles of the ExternalSecrets the cluster's watches marked due,
 * and a full cycle when the database holds a sync-now or webhook request.
 */
export class ClusterLease {
  private stopWatches?: NodeJS.Timeout;

  constructor(private readonly options: ClusterLeaseOptions) {}

  /** Stops the watches at once (backend shutdown). */
  stop(): void {
    clearTimeout(this.stopWatches);
    this.options.changes?.stop();
  }

  get cluster(): string {
    return this.options.cluster.config.name;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { changes, holdMs, logger } = this.options;
    const started = Date.now();
    clearTimeout(this.stopWatches);
    if (changes && holdMs > 0) {
      await this.startWatches(changes);
      // Whatever was marked before this run is covered by its full cycle.
      changes.marks.clear();
    }
    this.log(await this.options.cycle.run(signal, { cluster: this.cluster }));
    if (!changes || holdMs <= 0) return;
    try {
      await this.serve(changes, started + holdMs, signal);
    } finally {
      this.stopWatches = setTimeout(
        () => changes.stop(),
        this.options.watchGraceMs,
      );
      this.stopWatches.unref?.();
    }
    logger.debug(
      `Released cluster ${this.cluster} after ${Date.now() - started} ms`,
    );
  }

  private async serve(
    changes: ClusterChanges,
    until: number,
    signal: AbortSignal,
  ) {
    const { debounceMs, requestCheckMs, statusStore } = this.options;
    let lastCheck = Date.now();
    let lastFull = new Date();
    while (!signal.aborted && Date.now() < until) {
      const wait = Math.min(until - Date.now(), requestCheckMs);
      await changes.marks.wait(wait, debounceMs, signal);
      if (signal.aborted) return;
      if (changes.marks.size > 0) {
        const only = changes.marks.take();
        this.log(
          await this.options.cycle.run(signal, { cluster: this.cluster, only }),
          only,
        );
      }
      if (Date.now() - lastCheck >= requestCheckMs) {
        lastCheck = Date.now();
        if (await this.requested(statusStore, lastFull)) {
          lastFull = new Date();
          this.log(
            await this.options.cycle.run(signal, { cluster: this.cluster }),
          );
        }
      }
    }
  }

  /** A sync-now of a declared manifest, or a provider webhook, since `since`. */
  private async requested(statusStore: StatusStore, since: Date) {
    try {
      if (await statusStore.hasPendingSyncRequest(this.cluster)) return true;
      const changes = await statusStore.listProviderChanges();
      return changes.some(c => c.receivedAt > since);
    } catch (e) {
      this.options.logger.warn(
        `Could not check sync requests for cluster ${this.cluster}: ${
          (e as Error).message
        }`,
      );
      return false;
    }
  }

  private async startWatches(changes: ClusterChanges) {
    // A cluster whose watches cannot list yet still gets its full cycle.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      changes.start(),
      new Promise(resolve => {
        timer = setTimeout(resolve, 10_000);
      }),
    ]);
    clearTimeout(timer);
  }

  private log(report: CycleReport, only?: Set<string>) {
    const what = only
      ? `Watch cycle of cluster ${this.cluster} (${only.size} due)`
      : `Reconcile cycle of cluster ${this.cluster}`;
    this.options.logger.info(
      `${what}: ${report.externalSecrets} ExternalSecrets of ${report.entities} entities, ` +
        `${report.synced} ok, ${report.failed} failing, ${report.skipped} skipped (aborted), ${report.durationMs} ms`,
    );
  }
}

export type { CycleScope };
