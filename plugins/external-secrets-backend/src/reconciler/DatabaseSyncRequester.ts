import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ANNOTATION_FORCE_SYNC } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { NotFoundError } from '@backstage/errors';
import { StatusStore } from '../database/StatusStore';
import {
  SyncRateLimitedError,
  SyncRequester,
  SyncTarget,
} from '../service/SyncRequester';
import { ClusterRegistry } from './ClusterRegistry';
import { triggerReconcile } from './ReconcileTask';

const WINDOW_MS = 60_000;

/**
 * Sync-now: ExternalSecret CRs get ESO's documented `force-sync` annotation (the
 * one write observe mode allows), declared manifests are marked in the database;
 * then the cycle is triggered. The budget per requester and entity (a fixed
 * one-minute window) lives in the database and is checked and counted in one atomic
 * statement, so it holds across replicas.
 */
export class DatabaseSyncRequester implements SyncRequester {
  constructor(
    private readonly options: {
      statusStore: StatusStore;
      clusters: ClusterRegistry;
      scheduler: SchedulerService;
      logger: LoggerService;
      maxPerEntityPerMinute: number;
      now?: () => Date;
    },
  ) {}

  async requestSync({
    entityRef,
    requester,
    target,
  }: {
    entityRef: string;
    requester: string;
    target: SyncTarget;
  }) {
    const { statusStore, maxPerEntityPerMinute } = this.options;
    const now = this.options.now?.() ?? new Date();
    const matching = (await statusStore.listByEntity(entityRef)).filter(
      r =>
        (!target.cluster || r.cluster === target.cluster) &&
        (!target.namespace || r.namespace === target.namespace) &&
        (!target.name || r.name === target.name),
    );
    if (matching.length === 0) {
      throw new NotFoundError(
        `${entityRef} has no ExternalSecret${describeTarget(target)} to sync`,
      );
    }
    // Per requester and entity: one user's clicks never lock out another's.
    const bucket = `sync-now:${requester}:${entityRef}`;
    if (
      !(await statusStore.takeRateBudget(
        bucket,
        now,
        maxPerEntityPerMinute,
        WINDOW_MS,
      ))
    ) {
      const endsAt = await statusStore.rateWindowEndsAt(bucket, WINDOW_MS);
      const seconds = Math.min(
        WINDOW_MS / 1000,
        Math.max(
          1,
          Math.ceil(((endsAt?.getTime() ?? 0) - now.getTime()) / 1000),
        ),
      );
      throw new SyncRateLimitedError(
        `sync-now for ${entityRef} is limited to ${maxPerEntityPerMinute} requests per minute per user; try again in ${seconds}s`,
        seconds,
      );
    }
    const { clusters } = this.options;
    const requested = [];
    for (const record of matching) {
      const id = {
        cluster: record.cluster,
        namespace: record.namespace,
        name: record.name,
      };
      const cluster = clusters.get(record.cluster);
      if (record.origin === 'cluster' && cluster) {
        await cluster.client.patchExternalSecretAnnotations(
          record.namespace,
          record.name,
          {
            [ANNOTATION_FORCE_SYNC]: String(Math.floor(now.getTime() / 1000)),
          },
        );
        requested.push({ ...id, how: 'force-sync-annotation' as const });
      } else {
        await statusStore.requestSync([id], now);
        requested.push({ ...id, how: 'scheduled' as const });
      }
    }
    await triggerReconcile(
      this.options.scheduler,
      this.options.logger,
      matching.map(r => r.cluster),
    );
    return requested;
  }
}

function describeTarget(target: SyncTarget): string {
  const parts = [target.cluster, target.namespace, target.name].filter(Boolean);
  return parts.length > 0 ? ` matching ${parts.join('/')}` : '';
}
