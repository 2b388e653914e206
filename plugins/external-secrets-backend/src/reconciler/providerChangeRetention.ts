import { CycleScope } from './CycleScope';

/**
 * Provider change notices are kept until every cluster's cycle had a chance
 * to act on them; a cycle of one cluster among several deletes only older ones.
 */
export const PROVIDER_CHANGE_RETENTION_MS = 15 * 60_000;

/**
 * The newest provider change notice this cycle may delete: all it saw when
 * it covered every cluster, else only those old enough for every cluster's
 * own cycle to have seen them; none after a small (watch) cycle.
 */
export function handledProviderChanges(options: {
  changes: { id: number; receivedAt: Date }[];
  now: Date;
  scope: CycleScope | undefined;
  clusterCount: number;
}): number | undefined {
  const { changes, now, scope } = options;
  if (scope?.only) return undefined;
  if (!scope || options.clusterCount <= 1) {
    return changes.at(-1)?.id;
  }
  const cutoff = now.getTime() - PROVIDER_CHANGE_RETENTION_MS;
  return changes.filter(c => c.receivedAt.getTime() < cutoff).at(-1)?.id;
}
