/**
 * Child-process entry: one real backend replica running the External Secrets
 * plugin and the Infisical module with Backstage's real scheduler (distributed
 * lock in the database) and real database service (a SQLite file or
 * PostgreSQL), a catalog of one entity, and the simulators' URLs from the
 * environment. Started by ReconcilerProcess (the parent side) with Backstage's node transform.
 *
 * Reports over IPC: `ready` (HTTP port) and one `cycle` message per finished
 * reconcile cycle (parsed from the plugin's own log line).
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
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import { JsonObject } from '@backstage/types';
import externalSecretsPlugin from '@external-secrets-backstage/backstage-plugin-external-secrets-backend';
import { CHECKOUT } from './reliabilityWorld';
import type { ChildMessage } from './ReconcilerProcess';

const CYCLE_LINE =
  /^Reconcile cycle(?: of cluster (\S+))?: (\d+) ExternalSecrets of (\d+) entities, (\d+) ok, (\d+) failing, (\d+) skipped \(aborted\), (\d+) ms/;

function send(message: ChildMessage) {
  process.send?.(message);
}

/** Forwards the cycle summaries; everything else goes to stderr when debugging. */
class ReportingLogger implements RootLoggerService {
  constructor(private readonly replica: string) {}
  child(): LoggerService {
    return this;
  }
  error(message: string, meta?: unknown) {
    this.print('error', message, meta);
  }
  warn(message: string, meta?: unknown) {
    this.print('warn', message, meta);
  }
  info(message: string) {
    const match = CYCLE_LINE.exec(message);
    if (match) {
      const [, , externalSecrets, , synced, failed, skipped, durationMs] =
        match.map(Number);
      const endedAt = Date.now();
      send({
        type: 'cycle',
        replica: this.replica,
        cluster: match[1],
        startedAt: endedAt - durationMs,
        endedAt,
        externalSecrets,
        synced,
        failed,
        skipped,
      });
    }
    this.print('info', message);
  }
  debug() {}
  private print(level: string, message: string, meta?: unknown) {
    if (!process.env.RELIABILITY_DEBUG) return;
    const extra = meta instanceof Error ? ` ${meta.message}` : '';
    process.stderr.write(`[${this.replica}] ${level}: ${message}${extra}\n`);
  }
}

function catalogFactory() {
  const ref = stringifyEntityRef(CHECKOUT);
  const catalog: Partial<CatalogService> = {
    async getEntityByRef(requested) {
      return stringifyEntityRef(parseEntityRef(requested)) === ref
        ? CHECKOUT
        : undefined;
    },
    async *streamEntities() {
      yield [CHECKOUT];
    },
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    // The plugin calls only these two methods.
    factory: () => catalog as CatalogService,
  });
}

async function main() {
  const replica = process.env.RELIABILITY_REPLICA ?? 'replica';
  const config = JSON.parse(process.env.RELIABILITY_CONFIG ?? '{}') as {
    backend: JsonObject;
    externalSecrets: JsonObject;
  };
  const backend = await startTestBackend({
    features: [
      externalSecretsPlugin,
      infisicalModule,
      databaseServiceFactory,
      schedulerServiceFactory,
      catalogFactory(),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => new ReportingLogger(replica),
      }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  send({ type: 'ready', replica, port: backend.server.port() });
}

main().catch(error => {
  process.stderr.write(
    `reconcilerProcessMain failed: ${error?.stack ?? error}\n`,
  );
  process.exit(1);
});
