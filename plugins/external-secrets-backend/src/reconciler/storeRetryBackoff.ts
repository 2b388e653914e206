/** The wait before the second retry of a failing store; it doubles from there. */
const SECOND_RETRY_MS = 30_000;

/**
 * When a store whose validation failed is validated again. ESO's store
 * controller returns the validation error (pkg/controllers/secretstore/
 * common.go, reconcile), so controller-runtime requeues the store with its
 * per-item exponential backoff, and a success resets it (Forget) and requeues
 * after refreshInterval. Cycles are our requeue: a failed store is validated
 * again at the next cycle, then after 30 s, 1, 2, 4 minutes..., never less
 * often than its refreshInterval; a success starts the count again.
 *
 * The count is this replica's memory: a replica that has not seen the store
 * fail (restart, or another replica's cluster task) retries at its next cycle,
 * which costs one validation and never more than one per store per cycle.
 */
export class StoreRetryBackoff {
  /** Consecutive failed validations here, by store key. */
  private readonly failures = new Map<string, number>();

  /** Counts a failure, or forgets the store's failures after a success. */
  record(storeKey: string, ready: boolean): void {
    if (ready) this.failures.delete(storeKey);
    else this.failures.set(storeKey, (this.failures.get(storeKey) ?? 0) + 1);
  }

  /** How long after its last validation a not-Ready store is validated again. */
  delayMs(storeKey: string, refreshIntervalMs: number): number {
    const failures = this.failures.get(storeKey) ?? 1;
    if (failures <= 1) return 0;
    return Math.min(refreshIntervalMs, SECOND_RETRY_MS * 2 ** (failures - 2));
  }
}
