/**
 * `yarn bench [--sizes 100,1000,5000] [--latency 20] [--api-seconds 10]
 *             [--connections 50] [--hour-at 1000|none] [--budget-minutes 10]
 *             [--k8s-concurrency 8] [--max-old-space <MB>] [--out docs/benchmarks]
 *             [--propagation-at 1000|none] [--changes 6] [--cold-only]
 *             [--replicas-at 1000|none]`
 * `yarn bench --render-only` rewrites chart.svg and README.md from results.json.
 *
 * Drives the real reconciler (the External Secrets backend plugin and the
 * Infisical module on Backstage's test backend) against the Infisical and
 * Kubernetes simulators with injected latency, one fresh process per size,
 * then load-tests the status API. Prints a table and writes results.json,
 * chart.svg and README.md to the output folder.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { esoRefreshCalls } from './analysis/esoPattern';
import { runAwsRefresh } from './aws/awsRefresh';
import { replicaSplitVerdict } from './analysis/replicaSplit';
import { runReplicaSplit, SPLIT_CLUSTERS } from './replicas/replicaSplit';
import { analyse, WALL_TIME_TARGET_MS } from './analysis/analyse';
import { ipcClient } from './ipc';
import { loadTestStatusApi } from './loadTest';
import { renderChart } from './report/chart';
import { renderReadme } from './report/readme';
import { renderTable } from './report/table';
import type {
  BenchResults,
  EventLatency,
  HourTick,
  PropagationModeRun,
  SizeResult,
} from './results';
import type { CycleMeasurement } from './runner/measureCycle';
import type { PropagationResult } from './simulators/types';
import { TS_EXEC_ARGV } from './tsExec';
import { namespaceCount, Workload } from './workload';

type Options = {
  sizes: number[];
  latencyMs: number;
  apiSeconds: number;
  apiConnections: number;
  hourAt?: number;
  propagationAt?: number;
  /** Size of the AWS Secrets Manager refresh; undefined: not run. */
  awsAt?: number;
  /** ExternalSecrets over the 4 clusters of the replica split; undefined: not run. */
  replicasAt?: number;
  changes: number;
  budgetMinutes: number;
  kubernetesConcurrency?: number;
  maxOldSpaceMb?: number;
  /** `--cold-only`: boot and the first (cold) cycle per size, nothing else; prints, writes no files. */
  coldOnly: boolean;
  out: string;
};

// The bench runs from its sources (never built), so __dirname is bench/src.
// eslint-disable-next-line no-restricted-syntax
const REPO_ROOT = resolve(__dirname, '..', '..');
const CHANGED_SCOPE = 3;
const CHANGED_KEY = 7;
/** Apply and delete probes per size for the watch latency figures. */
const EVENT_SAMPLES = 5;
const DEFAULT_MAX_OLD_SPACE_MB = 256;
/** Cycles each cluster runs in the replica split: the cold one and two resyncs. */
const REPLICA_SPLIT_ROUNDS = 3;
const PROPAGATION_MODES: PropagationModeRun['mode'][] = [
  'none',
  'webhook',
  'poll',
];

/** A `--<step>-at <size>|none` flag: `none` skips the step, no flag takes the default size. */
function sizeOrNone(
  flag: string | undefined,
  fallback: number | undefined,
): number | undefined {
  if (flag === 'none') return undefined;
  return flag ? Number(flag) : fallback;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const inline = argv.find(a => a.startsWith(`--${name}=`));
    return inline?.slice(name.length + 3);
  };
  const sizes = (value('sizes') ?? '100,1000,5000')
    .split(',')
    .map(s => Number(s.trim()))
    .filter(n => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
  if (sizes.length === 0) throw new Error('--sizes: expected e.g. 100,1000');
  const hour = value('hour-at');
  const hourDefault = sizes.includes(1000)
    ? 1000
    : [...sizes].reverse().find(s => s <= 1000);
  return {
    sizes,
    latencyMs: Number(value('latency') ?? 20),
    apiSeconds: Number(value('api-seconds') ?? 10),
    apiConnections: Number(value('connections') ?? 50),
    hourAt: sizeOrNone(hour, hourDefault),
    propagationAt: sizeOrNone(value('propagation-at'), hourDefault),
    awsAt:
      value('aws-at') === 'none'
        ? undefined
        : Number(value('aws-at') ?? hourDefault ?? sizes[0]),
    replicasAt:
      value('replicas-at') === 'none'
        ? undefined
        : Number(value('replicas-at') ?? hourDefault ?? sizes[0]),
    changes: Number(value('changes') ?? 6),
    budgetMinutes: Number(value('budget-minutes') ?? 10),
    kubernetesConcurrency: value('k8s-concurrency')
      ? Number(value('k8s-concurrency'))
      : undefined,
    // The heap cap the plugin README recommends at ~1,000 ExternalSecrets
    // (`--max-old-space 0`: none, V8's default).
    maxOldSpaceMb:
      Number(value('max-old-space') ?? DEFAULT_MAX_OLD_SPACE_MB) || undefined,
    coldOnly: argv.includes('--cold-only'),
    out: resolve(REPO_ROOT, value('out') ?? 'docs/benchmarks'),
  };
}

function postgresConnectionString(): string | undefined {
  const name = Object.keys(process.env)
    .filter(k =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
    )
    .sort()
    .pop();
  return name ? process.env[name] : undefined;
}

function machine(): BenchResults['machine'] {
  return {
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageBefore: os.loadavg().map(n => Math.round(n * 100) / 100),
    loadAverageAfter: [],
  };
}

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Rejects after `ms` (the step's share of the budget). */
function within<T>(step: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `${step} did not finish within ${Math.round(ms / 1000)} s`,
            ),
          ),
        Math.max(ms, 1000),
      );
    }),
  ]);
}

async function runSize(
  workload: Workload,
  options: Options,
  deadline: number,
): Promise<SizeResult> {
  const result: SizeResult = {
    entities: workload.entities,
    externalSecrets: workload.entities,
    mappings: workload.entities * workload.keysPerEntity,
    namespaces: namespaceCount(workload),
    cycles: {},
    api: {},
    eso: esoRefreshCalls(workload.entities, workload.keysPerEntity),
  };
  const child: ChildProcess = fork(require.resolve('./runner/runSize.ts'), [], {
    // --expose-gc: one full collection after the cycles tells retained memory
    // from garbage (see memory() in runSize.ts).
    execArgv: [
      ...TS_EXEC_ARGV,
      '--expose-gc',
      ...(options.maxOldSpaceMb
        ? [`--max-old-space-size=${options.maxOldSpaceMb}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ipc = ipcClient(child);
  child.once('exit', code => ipc.failAll(`the runner exited (${code})`));
  const left = () => deadline - Date.now();
  const step = async <T>(name: string, op: string, payload?: unknown) => {
    log(`${workload.entities} entities: ${name}`);
    return within(name, left(), ipc.call<T>(op, payload));
  };
  try {
    const started = Date.now();
    const { baseUrl, rssMb } = await step<{ baseUrl: string; rssMb: number }>(
      'boot',
      'start',
      { ...workload, kubernetesConcurrency: options.kubernetesConcurrency },
    );
    result.startMs = Date.now() - started;
    result.rssAfterStartMb = rssMb;
    const cycle = (
      label: 'cold' | 'idle' | 'refresh',
      advanceMinutes: number,
    ) =>
      step<CycleMeasurement>(`${label} cycle`, 'cycle', {
        label,
        advanceMinutes,
      }).then(m => {
        result.cycles[label] = m;
      });
    await cycle('cold', 0);
    log(`${workload.entities} entities: ${describeCold(result.cycles.cold!)}`);
    if (options.coldOnly) return result;
    await cycle('idle', 1);
    await cycle('refresh', 61);
    const change = await step<{
      cycle: CycleMeasurement;
      result: PropagationResult;
    }>('change propagation', 'propagation', {
      advanceMinutes: 61,
      scope: CHANGED_SCOPE,
      key: CHANGED_KEY,
    });
    result.cycles.change = change.cycle;
    result.propagation = {
      dependents: change.result.dependents,
      updated: change.result.updated,
      firstSecretMs: change.result.firstUpdatedAt
        ? change.result.firstUpdatedAt - change.result.changedAt
        : undefined,
      allSecretsMs: change.result.allUpdatedAt
        ? change.result.allUpdatedAt - change.result.changedAt
        : undefined,
    };
    if (options.hourAt === workload.entities) {
      result.hour = await step<{ ticks: HourTick[]; problems: string[] }>(
        'an hour of 1-minute ticks',
        'hour',
        { ticks: 60 },
      );
    }
    const memory = await step<
      Pick<
        SizeResult,
        | 'peakRssMb'
        | 'liveHeapMb'
        | 'heapCommittedMb'
        | 'externalMb'
        | 'rssAfterGcMb'
      >
    >('memory', 'memory');
    Object.assign(result, memory);
    // After the memory figures (a second backend runs meanwhile).
    result.events = await step<EventLatency>(
      'watch latency (apply → Secret, delete → healed)',
      'eventLatency',
      { samples: EVENT_SAMPLES },
    );
    const load = async (
      db: 'sqlite' | 'postgres',
      url: string,
      conditional = false,
    ) => {
      const name = `${db}${conditional ? ', If-None-Match' : ''}`;
      log(`${workload.entities} entities: status API load (${name})`);
      await ipc.call('profile', {
        label: `api-${db}${conditional ? '-conditional' : ''}`,
      });
      try {
        return await within(
          `status API load (${name})`,
          left(),
          loadTestStatusApi({
            baseUrl: url,
            entities: workload.entities,
            connections: options.apiConnections,
            durationSeconds: options.apiSeconds,
            backendCpuMs: () => ipc.call<number>('cpuMs'),
            conditional,
          }),
        );
      } finally {
        await ipc.call('profile', {});
      }
    };
    result.api.sqlite = await load('sqlite', baseUrl);
    result.api.sqliteConditional = await load('sqlite', baseUrl, true);
    if (options.propagationAt === workload.entities) {
      result.propagationModes = [];
      for (const mode of PROPAGATION_MODES) {
        result.propagationModes.push(
          await step<PropagationModeRun>(
            `propagation hour, ${mode}`,
            'propagationHour',
            { mode, ticks: 60, changes: options.changes },
          ),
        );
      }
    }
    const pg = postgresConnectionString();
    if (pg) {
      const moved = await step<{ baseUrl: string; fill: CycleMeasurement }>(
        'PostgreSQL backend takeover cycle',
        'usePostgres',
        { connectionString: pg },
      );
      result.api.postgres = {
        ...(await load('postgres', moved.baseUrl)),
        fill: moved.fill,
      };
      result.api.postgresConditional = await load(
        'postgres',
        moved.baseUrl,
        true,
      );
    }
  } catch (e) {
    result.incomplete = (e as Error).message;
    log(`${workload.entities} entities: stopped: ${result.incomplete}`);
  } finally {
    await within('stop', 20_000, ipc.call('stop')).catch(() => undefined);
    if (child.exitCode === null) child.kill('SIGKILL');
    ipc.close();
  }
  return result;
}

/** The cold cycle's wall time against its target, with the runner's CPU time (so a loaded machine's reading can be judged). */
function describeCold(cold: CycleMeasurement): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  return `cold cycle ${seconds(cold.wallMs)} s wall (target < ${seconds(
    WALL_TIME_TARGET_MS,
  )} s: ${cold.wallMs < WALL_TIME_TARGET_MS ? 'met' : 'missed'}), ${seconds(
    cold.cpuMs,
  )} CPU s in the plugin's process (simulators excluded), ${
    cold.counts.kubernetes.total
  } Kubernetes requests`;
}

/** Writes a file formatted with the repository's Prettier config (`yarn prettier:check` covers docs/). */
function writeFormatted(file: string, text: string) {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const prettier = require('prettier') as {
    format(source: string, options: Record<string, unknown>): string;
    resolveConfig: { sync(path: string): Record<string, unknown> | null };
  };
  const options = prettier.resolveConfig.sync(file) ?? {};
  writeFileSync(file, prettier.format(text, { ...options, filepath: file }));
}

function writeReports(results: BenchResults, out: string) {
  writeFileSync(join(out, 'chart.svg'), renderChart(results));
  writeFormatted(join(out, 'README.md'), renderReadme(results, out));
}

/** `--render-only`: re-derive verdicts and rewrite chart.svg and README.md from results.json. */
function renderOnly(out: string) {
  const results = JSON.parse(
    readFileSync(join(out, 'results.json'), 'utf8'),
  ) as BenchResults;
  analyse(results);
  writeFormatted(
    join(out, 'results.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  writeReports(results, out);
  process.stdout.write(`${renderTable(results)}\n`);
}

async function main() {
  if (process.argv.includes('--render-only')) {
    renderOnly(parseArgs(process.argv.slice(2)).out);
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  const pg = postgresConnectionString();
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    command: `yarn bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machine(),
    parameters: {
      scopes: 20,
      keysPerEntity: 10,
      secretsPerScope: 50,
      entitiesPerNamespace: 50,
      latencyMs: options.latencyMs,
      apiConnections: options.apiConnections,
      apiDurationSeconds: options.apiSeconds,
      postgres: Boolean(pg),
      hourAtEntities: options.hourAt,
      propagationAtEntities: options.propagationAt,
      propagationChanges: options.propagationAt ? options.changes : undefined,
      kubernetesConcurrency: options.kubernetesConcurrency,
      maxOldSpaceMb: options.maxOldSpaceMb,
      replicasAtExternalSecrets: pg ? options.replicasAt : undefined,
    },
    sizes: [],
    growth: {},
    targets: [],
  };
  log(
    `sizes ${options.sizes.join(', ')}; ${
      options.latencyMs
    } ms latency; PostgreSQL ${
      pg
        ? 'yes'
        : 'no (set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING)'
    }; budget ${options.budgetMinutes} min`,
  );
  const benchDeadline = Date.now() + options.budgetMinutes * 60_000;
  for (const [index, entities] of options.sizes.entries()) {
    const remaining = benchDeadline - Date.now();
    if (remaining < 30_000) {
      results.sizes.push({
        entities,
        externalSecrets: entities,
        mappings: entities * results.parameters.keysPerEntity,
        namespaces: 0,
        cycles: {},
        api: {},
        eso: esoRefreshCalls(entities, results.parameters.keysPerEntity),
        incomplete: `not run: the ${options.budgetMinutes}-minute budget was used up by the smaller sizes`,
      });
      continue;
    }
    // Later (larger) sizes get the larger share of what is left.
    const share = index === options.sizes.length - 1 ? 1 : 0.4;
    const workload: Workload = {
      entities,
      scopes: results.parameters.scopes,
      keysPerEntity: results.parameters.keysPerEntity,
      secretsPerScope: results.parameters.secretsPerScope,
      entitiesPerNamespace: results.parameters.entitiesPerNamespace,
      latencyMs: options.latencyMs,
    };
    results.sizes.push(
      await runSize(workload, options, Date.now() + remaining * share),
    );
  }
  if (options.coldOnly) {
    for (const size of results.sizes) {
      const cold = size.cycles.cold;
      process.stdout.write(
        `${size.entities} entities: ${
          cold ? describeCold(cold) : size.incomplete
        }\n`,
      );
    }
    return;
  }
  if (options.awsAt) {
    log(`AWS Secrets Manager: one refresh of ${options.awsAt} ExternalSecrets`);
    results.aws = await runAwsRefresh({
      entities: options.awsAt,
      scopes: results.parameters.scopes,
      keysPerEntity: results.parameters.keysPerEntity,
      secretsPerScope: results.parameters.secretsPerScope,
      entitiesPerNamespace: results.parameters.entitiesPerNamespace,
      latencyMs: options.latencyMs,
    });
    log(
      `AWS: ${results.aws.total} requests per refresh (${JSON.stringify(
        results.aws.requests,
      )}); ESO's pattern: ${results.aws.esoGetSecretValue} GetSecretValue`,
    );
  }
  if (options.replicasAt && pg) {
    const perCluster = Math.ceil(options.replicasAt / SPLIT_CLUSTERS.length);
    log(
      `two replicas × ${SPLIT_CLUSTERS.length} clusters (${perCluster} ExternalSecrets each) on PostgreSQL`,
    );
    results.replicas = await runReplicaSplit({
      workload: {
        entities: perCluster,
        scopes: results.parameters.scopes,
        keysPerEntity: results.parameters.keysPerEntity,
        secretsPerScope: results.parameters.secretsPerScope,
        entitiesPerNamespace: results.parameters.entitiesPerNamespace,
        latencyMs: options.latencyMs,
      },
      connectionString: pg,
      rounds: REPLICA_SPLIT_ROUNDS,
      timeoutMs: 5 * 60_000,
    });
    log(`replicas: ${replicaSplitVerdict(results.replicas, true).measured}`);
  }
  results.machine.loadAverageAfter = os
    .loadavg()
    .map(n => Math.round(n * 100) / 100);
  analyse(results);

  mkdirSync(options.out, { recursive: true });
  writeFormatted(
    join(options.out, 'results.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  writeReports(results, options.out);
  process.stdout.write(`${renderTable(results)}\n`);
  log(`wrote ${join(options.out, 'results.json')}, chart.svg and README.md`);
}

main().catch(e => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
