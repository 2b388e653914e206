import { MergeWriter, olderFirst } from './mergeConflicts';
import { mergeTargetOf } from './mergeCoWriters';
import { WorkItem } from './WorkItem';

/**
 * Runs the creationPolicy Merge ExternalSecrets of one cycle that share a
 * Secret one after the other, the one created first first. Run side by side,
 * a newer one could write a shared key before the older one produced it, and
 * the older one then took it back: the key flipped once. In order, the older
 * one writes first, and the newer one finds the key taken (managedFields).
 * Every other ExternalSecret runs as before, without waiting.
 */
export class MergeWriterOrder {
  private readonly predecessor = new Map<WorkItem, Promise<void>>();
  private readonly finished = new Map<WorkItem, () => void>();

  constructor(items: WorkItem[]) {
    const groups = new Map<string, { item: WorkItem; writer: MergeWriter }[]>();
    for (const item of items) {
      const merge = mergeTargetOf(item.raw);
      if (!merge) continue;
      // A manifest may leave its namespace to the entity: the item's counts.
      const key = `${item.inventory.config.name}/${item.namespace}/${merge.secret}`;
      groups.set(key, [
        ...(groups.get(key) ?? []),
        { item, writer: merge.writer },
      ]);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      group.sort((a, b) => olderFirst(a.writer, b.writer));
      let previous: Promise<void> | undefined;
      for (const { item } of group) {
        if (previous) this.predecessor.set(item, previous);
        previous = new Promise(resolve => this.finished.set(item, resolve));
      }
    }
  }

  /**
   * Runs `work` for `item` once the older writers of its Secret are done
   * (whatever became of them). Wait here, outside any concurrency limit, so
   * a waiting ExternalSecret never holds a slot its predecessor needs.
   */
  async run<T>(item: WorkItem, work: () => Promise<T>): Promise<T> {
    await this.predecessor.get(item);
    try {
      return await work();
    } finally {
      this.finished.get(item)?.();
    }
  }
}
