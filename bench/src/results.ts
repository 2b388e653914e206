import type { AwsRefreshResult } from './aws/awsRefresh';
import type { ReplicaSplitResult } from './replicas/replicaSplit';
import type { EsoCalls } from './analysis/esoPattern';
import type { LoadResult } from './loadTest';
import type { CycleMeasurement } from './runner/measureCycle';
import type { InfisicalCounts } from './simulators/types';
import type { Workload } from './workload';

export type HourTick = {
  minute: number;
  wallMs: number;
  infisical: InfisicalCounts;
};

/** One change of the propagation hour and how long it took to reach every dependent Secret. */
export type PropagationChange = {
  id: number;
  minute: number;
  atSeconds: number;
  scope: number;
  key: number;
  dependents: number;
  updated: number;
  /** Change → every dependent Secret rewritten: the wait for the tick (simulated clock) plus the cycle (real time). */
  latencyMs?: number;
  /** The real-time part of it: the cycle that picked the change up. */
  cyclePartMs?: number;
  /** Status the backend answered the signed webhook with (webhook mode). */
  webhookStatus?: number;
  webhookError?: string;
};

export type PropagationModeRun = {
  mode: 'none' | 'webhook' | 'poll';
  /** The fresh backend's first cycle (takes the synced cluster over; not counted). */
  takeoverMs: number;
  ticks: (HourTick & { triggeredCycles: number })[];
  changes: PropagationChange[];
  problems: string[];
};

export type SizeResult = {
  entities: number;
  externalSecrets: number;
  mappings: number;
  namespaces: number;
  /** Backend boot (plugin, migrations, config) in ms. */
  startMs?: number;
  rssAfterStartMb?: number;
  cycles: Partial<
    Record<'cold' | 'idle' | 'refresh' | 'change', CycleMeasurement>
  >;
  /** A remote value changed right before a refresh tick: change → every dependent Secret rewritten. */
  propagation?: {
    dependents: number;
    updated: number;
    firstSecretMs?: number;
    allSecretsMs?: number;
  };
  hour?: { ticks: HourTick[]; problems: string[] };
  /** The propagation hour in each mode (none / webhook / poll), at `parameters.propagationAtEntities`. */
  propagationModes?: PropagationModeRun[];
  /** Process peak RSS after the SQLite cycles (getrusage). */
  peakRssMb?: number;
  /** After one full GC at that point: live heap and RSS (what is really retained). */
  liveHeapMb?: number;
  /** V8 heap still reserved after that GC (heapTotal), and off-heap buffers. */
  heapCommittedMb?: number;
  externalMb?: number;
  rssAfterGcMb?: number;
  api: {
    sqlite?: LoadResult;
    postgres?: LoadResult & { fill: CycleMeasurement };
    /** The same load polling with If-None-Match, as the page does. */
    sqliteConditional?: LoadResult;
    postgresConditional?: LoadResult;
  };
  eso: EsoCalls;
  /** Watches on, tick at 10 minutes: kubectl-style apply → Secret, and deleted Secret → healed. */
  events?: EventLatency;
  /** Set when this size could not finish (timeout, crash): which step and why. */
  incomplete?: string;
};

/** Milliseconds from a kubectl-style change to the Secret being there, per sample. */
export type EventLatency = { applyMs: number[]; healMs: number[] };

export type Machine = {
  nproc: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
};

export type Verdict = {
  target: string;
  met: boolean | undefined;
  measured: string;
  cause?: string;
};

export type BenchResults = {
  generatedAt: string;
  command: string;
  machine: Machine;
  parameters: Omit<Workload, 'entities'> & {
    apiConnections: number;
    apiDurationSeconds: number;
    postgres: boolean;
    hourAtEntities?: number;
    /** Size of the propagation hours (none / webhook / poll) and the changes in each. */
    propagationAtEntities?: number;
    propagationChanges?: number;
    /** externalSecrets.concurrency.kubernetesRequests when not the plugin's default. */
    kubernetesConcurrency?: number;
    /** The runner's --max-old-space-size, when set. */
    maxOldSpaceMb?: number;
    /** ExternalSecrets in all four clusters of the replica split (`--replicas-at`). */
    replicasAtExternalSecrets?: number;
  };
  sizes: SizeResult[];
  growth: {
    coldWallTime?: { exponent: number; r2: number };
    refreshWallTime?: { exponent: number; r2: number };
    idleWallTime?: { exponent: number; r2: number };
    peakRss?: { exponent: number; r2: number };
    rssAboveBaseline?: { exponent: number; r2: number };
  };
  quota?: QuotaComparison;
  propagation?: PropagationComparison;
  /** `--aws-at`: one refresh through the AWS Secrets Manager module. */
  aws?: AwsRefreshResult;
  /** `--replicas-at`: two replicas on one PostgreSQL sharing four clusters. */
  replicas?: ReplicaSplitResult;
  targets: Verdict[];
};

export type PerMinute = {
  secret: number;
  read: number;
  write: number;
  total: number;
};

export type QuotaComparison = {
  externalSecrets: number;
  scopes: number;
  freePlanPerMinute: PerMinute;
  /** Default refreshInterval (1h), measured over an hour of 1-minute ticks. */
  refreshHourly: {
    ours: { max: PerMinute; mean: PerMinute };
    esoSpread: PerMinute;
    esoBurst: PerMinute;
  };
  /** Every ExternalSecret refreshing at every 1-minute tick (refreshInterval ≤ 1m). */
  refreshEveryTick: {
    ours: { max: PerMinute; mean: PerMinute };
    eso: PerMinute;
  };
};

/** The propagation hours side by side (analysis of SizeResult.propagationModes). */
export type PropagationComparison = {
  externalSecrets: number;
  scopes: number;
  changes: number;
  modes: {
    mode: PropagationModeRun['mode'];
    perMinute: { max: PerMinute; mean: PerMinute };
    requestsInHour: number;
    triggeredCycles: number;
    propagated: number;
    /** Over the changes that propagated within the hour. */
    latencyMs?: { median: number; max: number };
    cyclePartMs?: { median: number; max: number };
    webhooksRefused: number;
    problems: string[];
  }[];
};
