import { setImmediate as nextTurn } from 'node:timers/promises';
import { StatusStore, SyncResultSave } from '../database/StatusStore';

/** Entries per transaction at most (a cycle has `kubernetesRequests` in flight, 32 by default). */
const MAX_GROUP = 200;

type Pending = {
  entry: SyncResultSave;
  resolve: () => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit of a cycle's saves. Each ExternalSecret still waits for its own
 * row to be committed before its next step (rollout findings update that row),
 * but the saves that arrive while a transaction runs go together in the next
 * one: a cold cycle at 1,000 ExternalSecrets wrote 1,000 transactions of six to
 * eight statements each and spent a fifth of its CPU on them. A failed group is
 * saved again one entry at a time, so one refused row fails only its own
 * ExternalSecret.
 */
export class SyncResultSaves {
  private pending: Pending[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<StatusStore, 'saveSyncResults'>,
    private readonly keepEventsPerExternalSecret: number | undefined,
  ) {}

  /** Resolves once the entry is committed; rejects with its own failure. */
  save(entry: SyncResultSave): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    // One turn of the event loop: the saves of every response handled in
    // this turn join the first group.
    await nextTurn();
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, MAX_GROUP);
      try {
        await this.store.saveSyncResults(
          group.map(p => p.entry),
          this.keepEventsPerExternalSecret,
        );
        group.forEach(p => p.resolve());
      } catch {
        await this.oneByOne(group);
      }
    }
    this.writing = undefined;
  }

  private async oneByOne(group: Pending[]): Promise<void> {
    for (const pending of group) {
      try {
        await this.store.saveSyncResults(
          [pending.entry],
          this.keepEventsPerExternalSecret,
        );
        pending.resolve();
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}
