/**
 * The real External Secrets plugin and Infisical module on Backstage's test
 * backend (the pattern of the plugin's startReconcilerTestBackend, without
 * Jest): the scheduler is captured so the benchmark runs each tick itself,
 * the catalog is an in-memory index, and the logger keeps only what the
 * benchmark needs. `triggerTask` (the webhook route and sync-now call it)
 * starts the cycle at once, or refuses while one runs, as Backstage's
 * scheduler does for a global task (ConflictError); the real scheduler only
 * starts it at its next work check (every 5 s), which the benchmark reports
 * rather than waits for.
 */
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
  SchedulerService,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import externalSecretsPlugin from '@external-secrets-backstage/backstage-plugin-external-secrets-backend';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import type { Knex } from 'knex';
import { storesConfig, Workload } from '../workload';
import type { SimulatorEndpoints } from '../simulators/types';
import { benchCatalogFactory } from './BenchCatalog';

/** What the plugin's own cycle log line says. */
export type CycleLogReport = {
  externalSecrets: number;
  entities: number;
  ok: number;
  failing: number;
  skipped: number;
};

export type BenchBackend = {
  /** `http://localhost:<port>` of the backend's HTTP server. */
  baseUrl: string;
  /** Runs one reconcile cycle to completion, as the scheduler would. */
  runCycle(): Promise<CycleLogReport | undefined>;
  /** Waits for the cycles `triggerTask` started; answers how many there were since the last call. */
  settleTriggered(): Promise<number>;
  /** Warnings and errors logged since the last call (messages only). */
  takeProblems(): string[];
  /**
   * With `watch`: starts one run of the cluster's task in the background (it
   * holds the cluster and serves watch events); resolves once its full cycle
   * logged. `stop` aborts the run as the scheduler's timeout would.
   */
  startRun(): Promise<{ stop(): Promise<void> }>;
  stop(): Promise<void>;
};

const CYCLE_LINE =
  /^Reconcile cycle(?: of cluster \S+)?: (\d+) ExternalSecrets of (\d+) entities, (\d+) ok, (\d+) failing, (\d+) skipped/;

/** Keeps the cycle's summary line and warnings/errors; drops the rest. */
class CapturingLogger implements RootLoggerService {
  constructor(
    private readonly sink: { cycle?: CycleLogReport; problems: string[] },
  ) {}
  child(): LoggerService {
    return this;
  }
  error(message: string) {
    this.sink.problems.push(`error: ${message}`);
  }
  warn(message: string) {
    // A plain-http hostAPI is what the benchmark wants; not a finding.
    if (/plain http|http:\/\//i.test(message) && /hostAPI/i.test(message))
      return;
    this.sink.problems.push(`warn: ${message}`);
  }
  info(message: string) {
    const match = CYCLE_LINE.exec(message);
    if (!match) return;
    const [, externalSecrets, entities, ok, failing, skipped] =
      match.map(Number);
    this.sink.cycle = { externalSecrets, entities, ok, failing, skipped };
  }
  debug() {}
}

/** The stores' `externalSecrets.propagation` mode: none (ESO's behaviour), webhooks, or ETag polling. */
export type PropagationMode = 'none' | 'webhook' | 'poll';

/** Not a secret: the signing key the benchmark's simulated Infisical webhook uses. */
export const BENCH_WEBHOOK_SIGNING_SECRET = 'bench-webhook-signing-key';
export const BENCH_POLL_INTERVAL = '1m';

function propagationConfig(mode: PropagationMode, w: Workload) {
  if (mode === 'none') return {};
  return {
    propagation: {
      stores: storesConfig(w, '').stores.map(store => ({
        kind: store.kind,
        name: store.metadata.name,
        ...(mode === 'webhook'
          ? { webhook: true }
          : { pollInterval: BENCH_POLL_INTERVAL }),
      })),
      ...(mode === 'webhook' && {
        webhooks: {
          infisical: { signingSecret: BENCH_WEBHOOK_SIGNING_SECRET },
        },
      }),
    },
  };
}

export async function startBenchBackend(options: {
  workload: Workload;
  endpoints: SimulatorEndpoints;
  entities: Entity[];
  /** A database of our own (PostgreSQL); default: the test backend's in-memory SQLite. */
  knex?: Knex;
  /** `externalSecrets.concurrency.kubernetesRequests`; default: the plugin's (32). */
  kubernetesConcurrency?: number;
  /** Default: none. */
  propagation?: PropagationMode;
  /** `externalSecrets.stores` and `credentials`; default: the workload's Infisical scopes. */
  stores?: object;
  /** `externalSecrets.providers`. */
  providers?: object;
  /** Modules beside the Infisical one (the AWS module). */
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** Watches on, the tick at 10 minutes (apply/heal latency). Default off: the bench runs each tick. */
  watch?: boolean;
}): Promise<BenchBackend> {
  const { workload, endpoints } = options;
  const sink: { cycle?: CycleLogReport; problems: string[] } = {
    problems: [],
  };
  let task: SchedulerServiceTaskFunction | undefined;
  let running: Promise<void> | undefined;
  let triggered: Promise<void>[] = [];
  const run = async () => {
    if (!task) throw new Error('the reconcile task was not scheduled');
    const cycle = Promise.resolve(task(new AbortController().signal));
    running = cycle.finally(() => {
      running = undefined;
    });
    await running;
  };
  const scheduler: SchedulerService = {
    async scheduleTask(definition) {
      task = definition.fn;
    },
    async triggerTask(id) {
      if (running) {
        // What Backstage's TaskWorker.trigger throws (a ConflictError).
        throw Object.assign(new Error(`Task ${id} is currently running`), {
          name: 'ConflictError',
        });
      }
      triggered.push(
        run().catch(e => {
          sink.problems.push(`error: triggered cycle: ${(e as Error).message}`);
        }),
      );
    },
    async cancelTask() {},
    createScheduledTaskRunner() {
      return {
        run: async definition => scheduler.scheduleTask(definition as any),
      };
    },
    async getScheduledTasks() {
      return [];
    },
  };
  const backend = await startTestBackend({
    features: [
      externalSecretsPlugin,
      infisicalModule,
      ...(options.features ?? []),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => new CapturingLogger(sink),
      }),
      benchCatalogFactory(options.entities),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.rootConfig.factory({
        data: {
          externalSecrets: {
            clusters: [
              {
                name: 'bench',
                url: endpoints.kubernetesUrl,
                serviceAccountToken: endpoints.kubernetesToken,
                mode: 'reconcile',
                esoFree: true,
              },
            ],
            // The bench runs each tick itself: one cycle per run, no held
            // cluster; with `watch`, a run holds the cluster for the tick.
            watch: { enabled: options.watch ?? false },
            ...(options.watch && {
              schedule: {
                frequency: { minutes: 10 },
                timeout: { minutes: 5 },
              },
            }),
            ...(options.stores ??
              storesConfig(workload, endpoints.infisicalUrl)),
            ...(options.providers && { providers: options.providers }),
            ...propagationConfig(options.propagation ?? 'none', workload),
            ...(options.kubernetesConcurrency && {
              concurrency: {
                kubernetesRequests: options.kubernetesConcurrency,
              },
            }),
          },
        },
      }),
    ],
  });
  return {
    baseUrl: `http://localhost:${backend.server.port()}`,
    async runCycle() {
      // A tick while a triggered cycle runs waits for it, as the scheduler would.
      await running;
      sink.cycle = undefined;
      await run();
      return sink.cycle;
    },
    async settleTriggered() {
      const started = triggered;
      triggered = [];
      await Promise.all(started);
      return started.length;
    },
    takeProblems() {
      return sink.problems.splice(0);
    },
    async startRun() {
      if (!task) throw new Error('the reconcile task was not scheduled');
      sink.cycle = undefined;
      const controller = new AbortController();
      const held = Promise.resolve(task(controller.signal));
      while (!sink.cycle) await new Promise(r => setTimeout(r, 20));
      return {
        stop: async () => {
          controller.abort();
          await held;
        },
      };
    },
    stop: () => backend.stop(),
  };
}
