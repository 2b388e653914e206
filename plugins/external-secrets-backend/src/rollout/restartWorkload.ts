import { AuditorService } from '@backstage/backend-plugin-api';
import {
  restartAnnotation,
  SecretUse,
  WorkloadKind,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { RestartRecord } from '../database/StatusStore';

/** What a restart is for: the workload, the Secret change, and who asked. */
export type RestartRequest = {
  client: ClusterClient;
  namespace: string;
  kind: Exclude<WorkloadKind, 'CronJob'>;
  workload: string;
  secret: string;
  externalSecret: string;
  entityRef: string;
  dataHash: string;
  uses: SecretUse[];
  by: RestartRecord['by'];
  now: Date;
  /** The change that caused it (on-change): hashes and key NAMES. */
  change?: { previousHash?: string; changedKeys: string[] };
  /** The annotation that opted the workload in (on-change). */
  optIn?: string;
  /** 1 for the first patch for this change, 2.. for retries (on-change). */
  attempt?: number;
};

/**
 * Rolls a workload the way Reloader's annotation strategy does: one merge
 * patch of its pod template annotation `reloader.stakater.com/last-reloaded-from`.
 * Audited as `workload-restart` with the Secret change behind it (hashes and
 * key names, never values). Throws the patch's error after auditing it.
 */
export async function restartWorkload(
  request: RestartRequest,
  auditor: AuditorService,
): Promise<RestartRecord> {
  const event = await auditor.createEvent({
    eventId: 'workload-restart',
    severityLevel: 'medium',
    meta: {
      trigger: request.by,
      cluster: request.client.clusterName,
      namespace: request.namespace,
      workload: `${request.kind}/${request.workload}`,
      secret: request.secret,
      externalSecret: request.externalSecret,
      entityRef: request.entityRef,
      dataHash: request.dataHash,
      ...(request.change && {
        previousDataHash: request.change.previousHash,
        changedKeys: request.change.changedKeys,
      }),
      ...(request.optIn && { optIn: request.optIn }),
      ...(request.attempt && { attempt: request.attempt }),
    },
  });
  try {
    await request.client.patchPodTemplateAnnotations(
      request.kind,
      request.namespace,
      request.workload,
      restartAnnotation({
        secretName: request.secret,
        namespace: request.namespace,
        dataHash: request.dataHash,
        uses: request.uses,
        now: request.now,
      }),
    );
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
  await event.success();
  return {
    at: request.now.toISOString(),
    hash: request.dataHash,
    by: request.by,
  };
}
