/**
 * `yarn bench`'s "two replicas × 4 clusters" step: two backend replicas (own
 * processes, Backstage's real scheduler and database service) on one
 * PostgreSQL share four clusters, each a Kubernetes simulator with its own
 * ExternalSecrets. The plugin schedules one global task per cluster
 * (`external-secrets-reconcile:<cluster>`), so each cluster's cycle runs on
 * one replica at a time. Records which replica ran which cluster's cycles and
 * how long they took, until every cluster has run `rounds` cycles.
 */
import { fork, type ChildProcess } from 'node:child_process';
import knexFactory from 'knex';
import { SimulatorsHandle } from '../simulators/SimulatorsHandle';
import { TS_EXEC_ARGV } from '../tsExec';
import { storesConfig, type Workload } from '../workload';
import type { ReplicaCycle, ReplicaMessage } from './replicaProcess';

export const REPLICA_NAMES = ['replica-a', 'replica-b'];
export const SPLIT_CLUSTERS = ['c1', 'c2', 'c3', 'c4'];
/**
 * The clusters' schedule: short, so a round is quick; the timeout well above
 * a cold cycle; the plugin's default initial delay, so both replicas are up
 * before the first runs are due (otherwise the first one up claims all four).
 */
const SCHEDULE = {
  frequency: { seconds: 10 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 10 },
};

export type ReplicaSplitResult = {
  clusters: string[];
  externalSecretsPerCluster: number;
  schedule: typeof SCHEDULE;
  /** From both replicas ready to the last recorded cycle's end. */
  windowMs: number;
  /** Every finished cycle, times relative to both replicas being ready. */
  cycles: ReplicaCycle[];
  problems: string[];
  incomplete?: string;
};

/** The replica's database config: the plugin's database is the bench's own. */
function databaseConfig(connectionString: string, database: string) {
  const url = new URL(connectionString);
  return {
    client: 'pg',
    connection: {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    },
    plugin: { 'external-secrets': { connection: { database } } },
  };
}

function startReplica(
  name: string,
  config: object,
  onMessage: (message: ReplicaMessage) => void,
): Promise<ChildProcess> {
  const child = fork(require.resolve('./replicaProcess.ts'), [], {
    execArgv: TS_EXEC_ARGV,
    env: {
      ...process.env,
      BENCH_REPLICA: name,
      BENCH_REPLICA_CONFIG: JSON.stringify(config),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('message', onMessage);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 120 s`)),
      120_000,
    );
    child.on('message', (message: ReplicaMessage) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}`));
    });
  });
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function runReplicaSplit(options: {
  workload: Workload;
  connectionString: string;
  /** Cycles every cluster must have finished. */
  rounds: number;
  timeoutMs: number;
}): Promise<ReplicaSplitResult> {
  const { workload } = options;
  const result: ReplicaSplitResult = {
    clusters: SPLIT_CLUSTERS,
    externalSecretsPerCluster: workload.entities,
    schedule: SCHEDULE,
    windowMs: 0,
    cycles: [],
    problems: [],
  };
  const sims: SimulatorsHandle[] = [];
  const replicas: ChildProcess[] = [];
  const database = `esbench_replicas_${process.pid}`;
  const admin = knexFactory({
    client: 'pg',
    connection: options.connectionString,
  });
  let readyAt = 0;
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
    await admin.raw(`CREATE DATABASE ${database}`);
    while (sims.length < SPLIT_CLUSTERS.length) {
      sims.push(await SimulatorsHandle.start(workload));
    }
    const config = {
      entities: workload.entities,
      backend: {
        database: databaseConfig(options.connectionString, database),
      },
      externalSecrets: {
        clusters: SPLIT_CLUSTERS.map((name, i) => ({
          name,
          url: sims[i].endpoints.kubernetesUrl,
          serviceAccountToken: sims[i].endpoints.kubernetesToken,
          mode: 'reconcile',
          esoFree: true,
        })),
        // One run is one full cycle (no held cluster), as without watches.
        watch: { enabled: false },
        schedule: SCHEDULE,
        // Every cluster reads the same Infisical (the first simulator's).
        ...storesConfig(workload, sims[0].endpoints.infisicalUrl),
      },
    };
    const raw: ReplicaCycle[] = [];
    const onMessage = (message: ReplicaMessage) => {
      if (message?.type === 'cycle') raw.push(message);
      if (message?.type === 'problem' && result.problems.length < 5) {
        result.problems.push(`${message.replica}: ${message.message}`);
      }
    };
    replicas.push(
      ...(await Promise.all(
        REPLICA_NAMES.map(name => startReplica(name, config, onMessage)),
      )),
    );
    readyAt = Date.now();
    const done = () =>
      SPLIT_CLUSTERS.every(
        c => raw.filter(x => x.cluster === c).length >= options.rounds,
      );
    while (!done()) {
      if (Date.now() - readyAt > options.timeoutMs) {
        result.incomplete = `not every cluster ran ${
          options.rounds
        } cycles within ${Math.round(options.timeoutMs / 1000)} s`;
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    result.cycles = raw.map(c => ({
      ...c,
      startedAt: c.startedAt - readyAt,
      endedAt: c.endedAt - readyAt,
    }));
    result.windowMs = Math.max(0, ...result.cycles.map(c => c.endedAt));
  } catch (e) {
    result.incomplete = (e as Error).message;
  } finally {
    await Promise.all(replicas.map(stopChild));
    await Promise.all(sims.map(s => s.stop()));
    await admin
      .raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      .catch(() => undefined);
    await admin.destroy();
  }
  return result;
}
