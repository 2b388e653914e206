/**
 * One benchmark size in a fresh process (so peak RSS belongs to this size):
 * starts the simulators process, boots the real plugin on a test backend and
 * runs the cycles the orchestrator asks for. The orchestrator (main.ts) load-
 * tests the status API from its own process while this one serves it.
 */
import { advanceClock, clockOffsetMs } from '../clock'; // first: the movable clock must be installed before anything reads Date
import type { Entity } from '@backstage/catalog-model';
import knexFactory, { type Knex } from 'knex';
import { ipcServe } from '../ipc';
import { SimulatorsHandle } from '../simulators/SimulatorsHandle';
import type { EventLatency, PropagationModeRun } from '../results';
import type { InfisicalCounts, PropagationResult } from '../simulators/types';
import {
  catalogEntity,
  entityName,
  externalSecret,
  namespaceOf,
  Workload,
} from '../workload';
import { CycleMeasurement, measureCycle, round } from './measureCycle';
import { startProfiler } from './profiler';
import {
  BenchBackend,
  BENCH_WEBHOOK_SIGNING_SECRET,
  PropagationMode,
  startBenchBackend,
} from './startBenchBackend';
import { INFISICAL_WEBHOOK_URL_PATH, plannedChanges } from './propagationPlan';

const MINUTE = 60_000;

let workload: Workload | undefined;
let sims: SimulatorsHandle | undefined;
let backend: BenchBackend | undefined;
let entities: Entity[] = [];
let postgres: { admin: Knex; db: Knex; name: string } | undefined;

async function start(w: Workload & { kubernetesConcurrency?: number }) {
  workload = w;
  entities = Array.from({ length: w.entities }, (_, i) => catalogEntity(i));
  sims = await SimulatorsHandle.start(w);
  backend = await startBenchBackend({
    workload: w,
    endpoints: sims.endpoints,
    entities,
    kubernetesConcurrency: w.kubernetesConcurrency,
  });
  return { baseUrl: backend.baseUrl, rssMb: peakRss() };
}

/**
 * `cold`: first cycle, nothing synced yet. `idle`: one tick later, nothing due.
 * `refresh`: every ExternalSecret due again (clock moved past refreshInterval
 * and the store revalidation interval), nothing changed remotely.
 */
async function cycle(options: {
  label: string;
  advanceMinutes: number;
}): Promise<CycleMeasurement> {
  advanceClock(options.advanceMinutes * MINUTE);
  return measureCycle(options.label, backend!, sims!);
}

/** One remote value changes just before a refresh tick: how long until every Secret that maps it is rewritten. */
async function propagation(options: {
  advanceMinutes: number;
  scope: number;
  key: number;
}): Promise<{ cycle: CycleMeasurement; result: PropagationResult }> {
  advanceClock(options.advanceMinutes * MINUTE);
  const change = await sims!.changeValue({
    scope: options.scope,
    key: options.key,
    timeoutMs: 10 * MINUTE,
  });
  const measured = await measureCycle('change', backend!, sims!);
  const result = await sims!.awaitPropagation(change.id);
  return { cycle: measured, result };
}

/**
 * An hour of one-minute ticks with `changes` remote value changes spread over
 * it, on a fresh backend whose stores use `mode` (none, webhooks, polling).
 * The fresh backend (its own in-memory SQLite) first takes the synced cluster
 * over in one cycle, which is not counted. A change happens at a point inside
 * its minute; the clock then moves on to the next tick. Latency is change →
 * every dependent Secret rewritten, in the runner's clock: real time of the
 * cycles plus the simulated wait for the tick.
 */
async function propagationHour(options: {
  mode: PropagationMode;
  ticks: number;
  changes: number;
}): Promise<PropagationModeRun> {
  await backend?.stop();
  backend = undefined;
  backend = await startBenchBackend({
    workload: workload!,
    endpoints: sims!.endpoints,
    entities,
    kubernetesConcurrency: (workload as { kubernetesConcurrency?: number })
      .kubernetesConcurrency,
    propagation: options.mode,
  });
  advanceClock(MINUTE);
  const takeover = await measureCycle(
    `takeover-${options.mode}`,
    backend,
    sims!,
  );
  const plan = plannedChanges(options.ticks, options.changes, workload!);
  const offsetAtChange = new Map<number, number>();
  const run: PropagationModeRun = {
    mode: options.mode,
    takeoverMs: takeover.wallMs,
    ticks: [],
    changes: [],
    problems: [],
  };
  /** Latencies of the changes that reached their Secrets during the cycle that just ran (clock offset unchanged since). */
  const attribute = async () => {
    for (const status of await sims!.propagationStatus()) {
      const change = run.changes.find(c => c.id === status.id);
      if (!change || change.latencyMs !== undefined) continue;
      change.updated = status.updated;
      if (status.allUpdatedAt === undefined) continue;
      const simulatedWait = clockOffsetMs() - offsetAtChange.get(status.id)!;
      change.latencyMs = round(
        status.allUpdatedAt - status.changedAt + simulatedWait,
      );
      change.cyclePartMs = round(status.allUpdatedAt - status.changedAt);
    }
  };
  await sims!.counts();
  for (let minute = 1; minute <= options.ticks; minute++) {
    const planned = plan.find(p => p.minute === minute);
    let advanced = 0;
    let triggeredCycles = 0;
    if (planned) {
      advanced = Math.round(planned.atSeconds * 1000);
      advanceClock(advanced);
      const result = await sims!.changeValue({
        scope: planned.scope,
        key: planned.key,
        timeoutMs: 60 * MINUTE,
        webhook:
          options.mode === 'webhook'
            ? {
                url: `${backend.baseUrl}${INFISICAL_WEBHOOK_URL_PATH}`,
                signingSecret: BENCH_WEBHOOK_SIGNING_SECRET,
                clockOffsetMs: clockOffsetMs(),
              }
            : undefined,
      });
      offsetAtChange.set(result.id, clockOffsetMs());
      run.changes.push({
        id: result.id,
        ...planned,
        dependents: result.dependents,
        updated: 0,
        webhookStatus: result.webhook?.status,
        webhookError: result.webhook?.error,
      });
      triggeredCycles += await backend.settleTriggered();
      await attribute();
    }
    advanceClock(MINUTE - advanced);
    const started = performance.now();
    await backend.runCycle();
    const wallMs = round(performance.now() - started);
    triggeredCycles += await backend.settleTriggered();
    await attribute();
    const { infisical } = await sims!.counts();
    run.ticks.push({ minute, wallMs, infisical, triggeredCycles });
  }
  run.problems = backend.takeProblems().slice(0, 5);
  return run;
}

/** An hour of one-minute ticks: Infisical requests per tick. */
async function hour(options: { ticks: number }) {
  const ticks: {
    minute: number;
    wallMs: number;
    infisical: InfisicalCounts;
  }[] = [];
  await sims!.counts();
  for (let minute = 1; minute <= options.ticks; minute++) {
    advanceClock(MINUTE);
    const started = performance.now();
    await backend!.runCycle();
    const wallMs = round(performance.now() - started);
    const { infisical } = await sims!.counts();
    ticks.push({ minute, wallMs, infisical });
  }
  return { ticks, problems: backend!.takeProblems().slice(0, 5) };
}

function peakRss() {
  return round((process.resourceUsage().maxRSS * 1024) / (1024 * 1024));
}

/**
 * Peak RSS so far, and what one full collection leaves (the runner runs with
 * --expose-gc): live heap and RSS, i.e. what the process really retains, as
 * opposed to garbage V8 had not needed to collect yet.
 */
function memory() {
  const peakRssMb = peakRss();
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  const mb = (n: number) => round(n / (1024 * 1024));
  return {
    peakRssMb,
    liveHeapMb: mb(usage.heapUsed),
    heapCommittedMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
    rssAfterGcMb: mb(usage.rss),
  };
}

/**
 * Moves the status API to a backend on PostgreSQL: a fresh database, filled
 * by one cycle of a second backend taking over the already-synced cluster
 * (every ExternalSecret recorded from its status, nothing due, nothing read).
 */
async function usePostgres(options: { connectionString: string }) {
  await backend?.stop();
  backend = undefined;
  const name = `esbench_${workload!.entities}_${process.pid}`;
  const admin = knexFactory({
    client: 'pg',
    connection: options.connectionString,
  });
  await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(options.connectionString);
  url.pathname = `/${name}`;
  const db = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 10 },
  });
  postgres = { admin, db, name };
  backend = await startBenchBackend({
    workload: workload!,
    endpoints: sims!.endpoints,
    entities,
    knex: db,
    kubernetesConcurrency: (workload as { kubernetesConcurrency?: number })
      .kubernetesConcurrency,
  });
  const fill = await measureCycle('takeover', backend, sims!);
  return { baseUrl: backend.baseUrl, fill };
}

let stopProfiler: (() => Promise<void>) | undefined;

/** Profiles the server side of a load test when BENCH_PROFILE names it. */
/**
 * Apply-to-Secret and delete-to-heal latency with watches on and the tick at
 * 10 minutes: besides the tick-driven backend (idle meanwhile), a watching
 * one holds the cluster (its first full cycle finds everything synced), then
 * is stopped again; per sample, an
 * ExternalSecret is created through the apiserver API (as `kubectl apply`
 * does) and the time until its Secret exists is taken, and an existing target
 * Secret is deleted and the time until it is back is taken.
 */
async function eventLatency(options: {
  samples: number;
}): Promise<EventLatency> {
  const watching = await startBenchBackend({
    workload: workload!,
    endpoints: sims!.endpoints,
    entities,
    watch: true,
  });
  const run = await watching.startRun();
  const { kubernetesUrl, kubernetesToken } = sims!.endpoints;
  const kube = (method: string, path: string, body?: unknown) =>
    fetch(`${kubernetesUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${kubernetesToken}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const secretExists = async (namespace: string, name: string) =>
    (await kube('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`))
      .status === 200;
  const timeUntil = async (check: () => Promise<boolean>) => {
    const started = performance.now();
    while (!(await check())) {
      if (performance.now() - started > 30_000) return Infinity;
      await new Promise(r => setTimeout(r, 5));
    }
    return round(performance.now() - started, 1);
  };
  const result: EventLatency = { applyMs: [], healMs: [] };
  try {
    for (let n = 0; n < options.samples; n++) {
      const namespace = namespaceOf(n, workload!);
      const probe = externalSecret(n, workload!);
      const name = `apply-probe-${n}`;
      probe.metadata.name = name;
      probe.spec.target.name = name;
      const applied = performance.now();
      await kube(
        'POST',
        `/apis/external-secrets.io/v1/namespaces/${namespace}/externalsecrets`,
        probe,
      );
      const applyWait = await timeUntil(() => secretExists(namespace, name));
      result.applyMs.push(
        applyWait === Infinity
          ? applyWait
          : round(performance.now() - applied, 1),
      );
      const target = entityName(n);
      const deleted = performance.now();
      await kube('DELETE', `/api/v1/namespaces/${namespace}/secrets/${target}`);
      const healWait = await timeUntil(() => secretExists(namespace, target));
      result.healMs.push(
        healWait === Infinity
          ? healWait
          : round(performance.now() - deleted, 1),
      );
    }
  } finally {
    await run.stop();
    await watching.stop();
  }
  return result;
}

async function profile(options: { label?: string }) {
  if (options.label) {
    stopProfiler = await startProfiler(options.label);
    return;
  }
  await stopProfiler?.();
  stopProfiler = undefined;
}

async function stop() {
  await backend?.stop().catch(() => undefined);
  if (postgres) {
    await postgres.db.destroy().catch(() => undefined);
    await postgres.admin
      .raw(`DROP DATABASE IF EXISTS ${postgres.name}`)
      .catch(() => undefined);
    await postgres.admin.destroy().catch(() => undefined);
  }
  await sims?.stop();
  setImmediate(() => process.exit(0));
}

/** CPU time (user + system) of this process so far, ms. */
function cpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

ipcServe(process, {
  start,
  cpuMs,
  cycle,
  propagation,
  propagationHour,
  hour,
  memory,
  usePostgres,
  eventLatency,
  profile,
  stop,
});
process.on('disconnect', () => {
  stop().catch(() => process.exit(1));
});
