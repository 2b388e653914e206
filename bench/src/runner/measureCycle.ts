import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SimulatorsHandle } from '../simulators/SimulatorsHandle';
import type { SimulatorCounts } from '../simulators/types';
import { startProfiler } from './profiler';
import type { BenchBackend, CycleLogReport } from './startBenchBackend';

/** Event-loop sampling interval; an idle loop reports about this much. */
export const EVENT_LOOP_RESOLUTION_MS = 5;
const RSS_SAMPLE_MS = 25;
const MB = 1024 * 1024;

export type CycleMeasurement = {
  label: string;
  wallMs: number;
  /** CPU time of the runner process (user + system) during the cycle. */
  cpuMs: number;
  eventLoop: { maxMs: number; p99Ms: number; meanMs: number };
  /** Highest sampled RSS during the cycle, and the process peak after it (getrusage). */
  rssMb: { cyclePeak: number; processPeak: number };
  heapUsedMb: number;
  report?: CycleLogReport;
  counts: SimulatorCounts;
  /** Warnings/errors the plugin logged (first few), and how many. */
  problems: { count: number; first: string[] };
};

/** Runs one cycle with the event loop, CPU and RSS watched, then collects the simulators' request counts. */
export async function measureCycle(
  label: string,
  backend: BenchBackend,
  sims: SimulatorsHandle,
): Promise<CycleMeasurement> {
  await sims.counts(); // starts the cycle from clean request logs
  backend.takeProblems();
  const loop = monitorEventLoopDelay({
    resolution: EVENT_LOOP_RESOLUTION_MS,
  });
  let cyclePeak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    cyclePeak = Math.max(cyclePeak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const profiler = await startProfiler(label);
  const cpuBefore = process.cpuUsage();
  loop.enable();
  const started = performance.now();
  const report = await backend.runCycle();
  const wallMs = performance.now() - started;
  loop.disable();
  await profiler?.();
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  cyclePeak = Math.max(cyclePeak, process.memoryUsage.rss());
  const counts = await sims.counts();
  const problems = backend.takeProblems();
  return {
    label,
    wallMs: round(wallMs),
    cpuMs: round((cpu.user + cpu.system) / 1000),
    eventLoop: {
      maxMs: round(loop.max / 1e6),
      p99Ms: round(loop.percentile(99) / 1e6),
      meanMs: round(loop.mean / 1e6),
    },
    rssMb: {
      cyclePeak: round(cyclePeak / MB),
      processPeak: round((process.resourceUsage().maxRSS * 1024) / MB),
    },
    heapUsedMb: round(process.memoryUsage().heapUsed / MB),
    report,
    counts,
    problems: { count: problems.length, first: problems.slice(0, 5) },
  };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
