import { AuditorService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  CustomErrorBase,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  RestartRequest,
  RestartResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { findConsumer as findWorkloadConsumer } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { StatusStore } from '../database/StatusStore';
import { ClusterRegistry } from '../reconciler/ClusterRegistry';
import { restartWorkload } from './restartWorkload';

/** Answered with HTTP 429 and `Retry-After`: the per-workload restart-now budget is spent. */
export class RestartRateLimitedError extends CustomErrorBase {
  name = 'RestartRateLimitedError' as const;
  readonly statusCode = 429;

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/**
 * "Restart now": rolls one workload that reads the target Secret of one of
 * the entity's ExternalSecrets, as the last cycle recorded it, and whose pods
 * run data from before the Secret's last change. Only in clusters with
 * `rollout: restart`, never a paused Deployment; a budget per workload lives
 * in the database (all replicas share it).
 */
export class RestartRequester {
  constructor(
    private readonly options: {
      statusStore: StatusStore;
      clusters: ClusterRegistry;
      auditor: AuditorService;
      maxPerWorkload: number;
      windowMs: number;
      now?: () => Date;
    },
  ) {}

  async restart(
    entityRef: string,
    request: RestartRequest,
  ): Promise<RestartResponse> {
    const { statusStore, clusters } = this.options;
    const now = this.options.now?.() ?? new Date();
    const workloadName = `${request.workloadKind} ${request.namespace}/${request.workload}`;
    const record = (await statusStore.listByEntity(entityRef)).find(
      r =>
        r.cluster === request.cluster &&
        r.namespace === request.namespace &&
        r.name === request.name,
    );
    const consumer = record?.rollout?.consumers.find(
      c => c.kind === request.workloadKind && c.name === request.workload,
    );
    if (!record || !consumer) {
      throw new NotFoundError(
        `${entityRef} has no ExternalSecret ${request.cluster}/${request.namespace}/${request.name} read by ${workloadName}`,
      );
    }
    const cluster = clusters.get(record.cluster);
    if (!cluster || cluster.config.rollout !== 'restart') {
      throw new NotAllowedError(
        `restarts are off in cluster ${record.cluster}: set rollout: restart on it (externalSecrets.clusters) to allow them`,
      );
    }
    if (consumer.verdict !== 'restart-needed' || !record.dataHash) {
      throw new ConflictError(
        `${workloadName} needs no restart (${consumer.verdict}): its pods already run the current data of Secret ${record.targetSecret}, or a restart is under way`,
      );
    }
    const workload = (
      await cluster.client.listWorkloads(request.workloadKind, record.namespace)
    ).find(w => w.metadata.name === request.workload);
    const reading =
      workload && findWorkloadConsumer(workload, record.targetSecret);
    if (!workload || !reading) {
      throw new NotFoundError(
        `${workloadName} no longer reads Secret ${record.targetSecret} in cluster ${record.cluster}`,
      );
    }
    if (reading.paused) {
      throw new ConflictError(
        `${workloadName} is paused: a template change would not roll it; resume it (kubectl rollout resume) first`,
      );
    }
    if (reading.onDelete) {
      throw new ConflictError(
        `${workloadName} uses the OnDelete update strategy: a template change does not roll its pods; delete its stale pods (kubectl delete pod) so they start with the current data`,
      );
    }
    const bucket = `restart-now:${record.cluster}/${record.namespace}/${request.workloadKind}/${request.workload}`;
    const { maxPerWorkload, windowMs } = this.options;
    if (
      !(await statusStore.takeRateBudget(bucket, now, maxPerWorkload, windowMs))
    ) {
      const seconds = await this.secondsUntilAdmitted(bucket, now);
      throw new RestartRateLimitedError(
        `restart-now of ${workloadName} is limited to ${maxPerWorkload} per ${Math.round(
          windowMs / 60_000,
        )} minutes; try again in ${seconds}s`,
        seconds,
      );
    }
    const lastRestart = await restartWorkload(
      {
        client: cluster.client,
        namespace: record.namespace,
        kind: request.workloadKind,
        workload: request.workload,
        secret: record.targetSecret,
        externalSecret: record.name,
        entityRef,
        dataHash: record.dataHash,
        uses: reading.uses,
        by: 'restart-now',
        now,
      },
      this.options.auditor,
    );
    await statusStore.saveRollout(record, {
      ...record.rollout!,
      consumers: record.rollout!.consumers.map(c =>
        c === consumer
          ? {
              ...c,
              verdict: 'restarting',
              lastRestart,
              // the restart on change it replaces is no longer pending
              pendingRestart: undefined,
            }
          : c,
      ),
    });
    return {
      cluster: record.cluster,
      namespace: record.namespace,
      workloadKind: request.workloadKind,
      workload: request.workload,
      restartedAt: lastRestart.at,
    };
  }

  /** Until the budget's window ends (shared by all replicas), within 1 s..window. */
  private async secondsUntilAdmitted(
    bucket: string,
    now: Date,
  ): Promise<number> {
    const { statusStore, windowMs } = this.options;
    const endsAt = await statusStore.rateWindowEndsAt(bucket, windowMs);
    const seconds = Math.ceil(
      ((endsAt?.getTime() ?? 0) - now.getTime()) / 1000,
    );
    return Math.min(Math.ceil(windowMs / 1000), Math.max(1, seconds));
  }
}
