import type { ReplicaSplitResult } from '../replicas/replicaSplit';
import type { ReplicaCycle } from '../replicas/replicaProcess';
import type { Verdict } from '../results';
import { percentile, round } from './stats';

export type ReplicaSummary = {
  replica: string;
  /** Cycles run per cluster. */
  clusters: Record<string, number>;
  /** The first cycle of each cluster this replica ran first (creates every Secret). */
  coldCycleMs: Record<string, number>;
  /** Median of its later cycles (nothing due: the resync). */
  laterCycleMedianMs?: number;
  /** Sum of its cycles' wall time in the window. */
  busyMs: number;
};

export type ReplicaSplitSummary = {
  replicas: ReplicaSummary[];
  /** Clusters with at least one finished cycle. */
  covered: string[];
  /** Cycles of one cluster that overlapped in time on two replicas (must be none). */
  overlapping: number;
  /** Which replica ran each cluster's first cycle: the first split. */
  firstRound: Record<string, string>;
  /** Clusters whose later cycles ran on the other replica too (allowed: whichever replica claims the next run does it). */
  moved: string[];
};

function overlaps(x: ReplicaCycle, y: ReplicaCycle) {
  return x.startedAt < y.endedAt && y.startedAt < x.endedAt;
}

export function summariseReplicaSplit(
  result: ReplicaSplitResult,
): ReplicaSplitSummary {
  const byStart = [...result.cycles].sort((a, b) => a.startedAt - b.startedAt);
  const firstRound: Record<string, string> = {};
  for (const cycle of byStart) firstRound[cycle.cluster] ??= cycle.replica;
  const replicaNames = [...new Set(byStart.map(c => c.replica))].sort();
  const replicas = replicaNames.map(replica => {
    const own = byStart.filter(c => c.replica === replica);
    const clusters: Record<string, number> = {};
    const coldCycleMs: Record<string, number> = {};
    const later: number[] = [];
    for (const cycle of own) {
      clusters[cycle.cluster] = (clusters[cycle.cluster] ?? 0) + 1;
      const ms = cycle.endedAt - cycle.startedAt;
      const first = byStart.find(c => c.cluster === cycle.cluster) === cycle;
      if (first) coldCycleMs[cycle.cluster] = round(ms, 0);
      else later.push(ms);
    }
    return {
      replica,
      clusters,
      coldCycleMs,
      laterCycleMedianMs: later.length
        ? round(percentile(later, 50), 0)
        : undefined,
      busyMs: round(
        own.reduce((s, c) => s + (c.endedAt - c.startedAt), 0),
        0,
      ),
    };
  });
  const overlapping = byStart.filter(x =>
    byStart.some(y => y !== x && y.cluster === x.cluster && overlaps(x, y)),
  ).length;
  const moved = result.clusters.filter(
    c =>
      new Set(byStart.filter(x => x.cluster === c).map(x => x.replica)).size >
      1,
  );
  return {
    replicas,
    covered: result.clusters.filter(c => firstRound[c] !== undefined),
    overlapping,
    firstRound,
    moved,
  };
}

/** Disjoint (never one cluster on two replicas at once), all clusters covered, both replicas working. */
export function replicaSplitVerdict(
  result: ReplicaSplitResult | undefined,
  postgres: boolean,
): Verdict {
  const target =
    'Two replicas × 4 clusters on one PostgreSQL: each cluster on one replica at a time, all 4 covered, both replicas working';
  if (!result) {
    return {
      target,
      met: undefined,
      measured: postgres
        ? 'not run (--replicas-at none)'
        : 'not run: needs PostgreSQL (eval "$(bash scripts/postgres.sh start)")',
    };
  }
  const s = summariseReplicaSplit(result);
  const working = s.replicas.filter(r => Object.keys(r.clusters).length > 0);
  const met =
    s.covered.length === result.clusters.length &&
    s.overlapping === 0 &&
    working.length === 2;
  const perReplica = s.replicas
    .map(
      r =>
        `${r.replica}: ${Object.entries(r.clusters)
          .map(([c, n]) => `${c}×${n}`)
          .join(', ')} (cold ${
          Object.entries(r.coldCycleMs)
            .map(([c, ms]) => `${c} ${ms} ms`)
            .join(', ') || 'none'
        }; later median ${r.laterCycleMedianMs ?? '–'} ms)`,
    )
    .join('; ');
  return {
    target,
    met: result.incomplete ? false : met,
    measured: `${
      result.externalSecretsPerCluster
    } ExternalSecrets per cluster, ${result.cycles.length} cycles in ${round(
      result.windowMs / 1000,
    )} s: ${perReplica}; covered ${s.covered.length}/${
      result.clusters.length
    }, ${s.overlapping} overlapping${
      s.moved.length ? `, moved between runs: ${s.moved.join(', ')}` : ''
    }${result.incomplete ? `; incomplete: ${result.incomplete}` : ''}`,
    cause:
      !met && working.length < 2 && s.overlapping === 0
        ? 'one replica claimed every cluster task first (the scheduler gives a due task to whichever replica polls first)'
        : undefined,
  };
}
