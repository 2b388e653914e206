/**
 * ExternalSecrets of one cluster that a watch event made due, by
 * `namespace/name`, until a cycle takes them. Marks coalesce: an object
 * changed ten times before the next small cycle is handled once.
 */
export class DueMarks {
  private marks = new Set<string>();
  private waiters: (() => void)[] = [];

  mark(namespace: string, name: string): void {
    this.marks.add(`${namespace}/${name}`);
    for (const wake of this.waiters.splice(0)) wake();
  }

  get size(): number {
    return this.marks.size;
  }

  /** The marks so far; the set starts empty again. */
  take(): Set<string> {
    const taken = this.marks;
    this.marks = new Set();
    return taken;
  }

  clear(): void {
    this.marks.clear();
  }

  /**
   * Resolves once there is a mark (then waits `debounceMs` more, so a burst
   * of events becomes one cycle), when `timeoutMs` passed, or on abort.
   */
  async wait(
    timeoutMs: number,
    debounceMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    if (this.marks.size === 0 && timeoutMs > 0 && !signal?.aborted) {
      await new Promise<void>(resolve => {
        let timer: NodeJS.Timeout | undefined = undefined;
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        timer = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done, { once: true });
        this.waiters.push(done);
      });
    }
    if (this.marks.size > 0 && debounceMs > 0 && !signal?.aborted) {
      await new Promise(resolve => setTimeout(resolve, debounceMs));
    }
  }
}
