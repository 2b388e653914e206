/**
 * One backend replica of the "two replicas × 4 clusters" step, in its own
 * process: the real plugin and Infisical module with Backstage's real
 * scheduler (its distributed lock in PostgreSQL) and database service, the
 * bench catalog, and the clusters and stores the orchestrator passes in
 * BENCH_REPLICA_CONFIG. Reports each finished per-cluster cycle over IPC,
 * parsed from the plugin's own log line.
 */
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import externalSecretsPlugin from '@external-secrets-backstage/backstage-plugin-external-secrets-backend';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import type { JsonObject } from '@backstage/types';
import { benchCatalogFactory } from '../runner/BenchCatalog';
import { catalogEntity } from '../workload';

/** What a replica sends for each finished cycle of one cluster. */
export type ReplicaCycle = {
  replica: string;
  cluster: string;
  /** ms since the epoch (this machine's clock, shared by the processes). */
  startedAt: number;
  endedAt: number;
  externalSecrets: number;
  ok: number;
  failing: number;
};

export type ReplicaMessage =
  | { type: 'ready'; replica: string }
  | ({ type: 'cycle' } & ReplicaCycle)
  | { type: 'problem'; replica: string; message: string };

const CYCLE_LINE =
  /^Reconcile cycle of cluster (\S+): (\d+) ExternalSecrets of \d+ entities, (\d+) ok, (\d+) failing, \d+ skipped \(aborted\), (\d+) ms/;

function send(message: ReplicaMessage) {
  process.send?.(message);
}

class ReportingLogger implements RootLoggerService {
  constructor(private readonly replica: string) {}
  child(): LoggerService {
    return this;
  }
  error(message: string) {
    send({ type: 'problem', replica: this.replica, message });
  }
  warn(message: string) {
    if (/hostAPI/i.test(message)) return; // plain-http simulator, on purpose
    send({ type: 'problem', replica: this.replica, message });
  }
  info(message: string) {
    const match = CYCLE_LINE.exec(message);
    if (!match) return;
    const endedAt = Date.now();
    send({
      type: 'cycle',
      replica: this.replica,
      cluster: match[1],
      startedAt: endedAt - Number(match[5]),
      endedAt,
      externalSecrets: Number(match[2]),
      ok: Number(match[3]),
      failing: Number(match[4]),
    });
  }
  debug() {}
}

async function main() {
  const replica = process.env.BENCH_REPLICA ?? 'replica';
  const config = JSON.parse(process.env.BENCH_REPLICA_CONFIG ?? '{}') as {
    entities: number;
    backend: JsonObject;
    externalSecrets: JsonObject;
  };
  const entities = Array.from({ length: config.entities }, (_, i) =>
    catalogEntity(i),
  );
  await startTestBackend({
    features: [
      externalSecretsPlugin,
      infisicalModule,
      databaseServiceFactory,
      schedulerServiceFactory,
      benchCatalogFactory(entities),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => new ReportingLogger(replica),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: config.backend,
          externalSecrets: config.externalSecrets,
        },
      }),
    ],
  });
  send({ type: 'ready', replica });
}

main().catch(error => {
  process.stderr.write(`replicaProcess failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
