/**
 * Folds concurrent lookups by key into one query: the keys asked for in one
 * turn of the event loop, or while the previous query runs, go together in
 * the next one. A caller's
 * key is always read by a query that starts after it asked, so an answer is
 * never older than the request (nothing is cached between queries); under
 * load, N concurrent requests cost a handful of database round trips instead
 * of N.
 */
export class QueryBatcher<V> {
  private waiting = new Map<string, ((result: Settled<V>) => void)[]>();
  private running = false;

  constructor(
    /** Answers every key it is given (a missing one fails its callers). */
    private readonly query: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxKeysPerQuery = 200,
  ) {}

  load(key: string): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const callers = this.waiting.get(key) ?? [];
      callers.push(result =>
        'error' in result ? reject(result.error) : resolve(result.value),
      );
      this.waiting.set(key, callers);
      if (!this.running) {
        // Requests parsed in the same turn of the event loop go together.
        this.running = true;
        setImmediate(() => this.runNext());
      }
    });
  }

  private runNext(): void {
    if (this.waiting.size === 0) {
      this.running = false;
      return;
    }
    this.running = true;
    const batch = new Map<string, ((result: Settled<V>) => void)[]>();
    for (const [key, callers] of this.waiting) {
      if (batch.size >= this.maxKeysPerQuery) break;
      batch.set(key, callers);
    }
    for (const key of batch.keys()) this.waiting.delete(key);
    this.query([...batch.keys()])
      .then(
        values => {
          for (const [key, callers] of batch) {
            const settled: Settled<V> = values.has(key)
              ? { value: values.get(key)! }
              : { error: new Error(`no answer for ${key}`) };
            callers.forEach(settle => settle(settled));
          }
        },
        error => {
          for (const callers of batch.values()) {
            callers.forEach(settle => settle({ error }));
          }
        },
      )
      .finally(() => this.runNext());
  }
}

type Settled<V> = { value: V } | { error: unknown };
