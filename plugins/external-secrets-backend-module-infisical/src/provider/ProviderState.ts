import { AgentPool } from '../client/AgentPool';
import type { RetryPolicy } from '../client/retryPolicy';
import type { Clock, Sleep } from '../client/timing';
import { TokenCache } from '../auth/TokenCache';
import { SnapshotCache } from '../cache/SnapshotCache';
import type { ProviderApiMetrics } from '../metrics/ProviderApiMetrics';

/** How the provider reaches the outside world; every part is injectable for tests. */
export type ProviderRuntime = {
  fetch: typeof fetch;
  clock: Clock;
  sleep: Sleep;
  random: () => number;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  readServiceAccountToken: (path: string) => Promise<string>;
  /** Where Kubernetes auth may read a token (see serviceAccountTokenPolicy). */
  serviceAccountTokenDirs: readonly string[];
  metrics: ProviderApiMetrics;
};

/** How long a host that lacks the v4 routes is read through v3 before v4 is tried again. */
export const LEGACY_HOST_RECHECK_MS = 60 * 60_000;

/**
 * What lives as long as the provider and is shared by its stores: tokens,
 * project ids and snapshots (each keyed by identity), the v3-only hosts and
 * the TLS agents.
 */
export class ProviderState {
  readonly projectIds = new Map<string, string>();
  /** Lookups in flight, so concurrent stores of one identity resolve a slug once. */
  readonly projectIdLookups = new Map<string, Promise<string>>();
  /** API base → time until which it is read through v3. */
  readonly legacyHosts = new Map<string, number>();
  /** API base → the project-lookup route (index in PROJECT_LOOKUP_ROUTES) it answered on. */
  readonly projectLookupRoutes = new Map<string, number>();
  /**
   * Scopes whose project slug Infisical said does not exist (a 500 that never
   * heals), by host, identity and slug: reads fail fast with this error until
   * the store's next validation asks Infisical again.
   */
  readonly unknownProjects = new Map<string, Error>();
  readonly agents = new AgentPool();
  readonly snapshots: SnapshotCache;

  constructor(
    readonly runtime: ProviderRuntime,
    readonly tokens: TokenCache,
    snapshotCacheSize?: number,
  ) {
    this.snapshots = new SnapshotCache(snapshotCacheSize);
  }
}
