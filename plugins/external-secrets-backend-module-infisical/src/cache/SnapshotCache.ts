import type { ApiVersion } from '../client/wireTypes';
import type { ScopeSnapshot } from '../provider/ScopeSnapshot';

/** The last answer for one (identity, scope): replayed on a 304. */
export type CachedSnapshot = {
  etag?: string;
  version: ApiVersion;
  snapshot: ScopeSnapshot;
};

/**
 * Provider-level cache of scope snapshots, keyed by identity AND scope (the
 * caller builds the key), so a store never sees another identity's snapshot.
 * Bounded: the least recently used entry goes first.
 */
export class SnapshotCache {
  readonly #entries = new Map<string, CachedSnapshot>();

  constructor(private readonly maxEntries = 1000) {}

  get(key: string): CachedSnapshot | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      // Re-insert so Map order is least-recently-used first.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedSnapshot): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
