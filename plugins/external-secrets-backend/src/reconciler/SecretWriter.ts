/**
 * The Kubernetes write path of reconcile mode, in one place: the target
 * Secret's create, update (adoption included) and delete, each audited, and
 * the ExternalSecret's status subresource. Observe mode never reaches here.
 */
import {
  Condition,
  ExternalSecret,
  ExternalSecretConditionReason,
  ExternalSecretStatus,
} from '@internal/backstage-plugin-external-secrets-common';
import {
  CurrentSecret,
  ReconcileResult,
  syncedResourceVersion,
} from '@internal/backstage-plugin-external-secrets-node';
import { ClusterError } from '../kubernetes/ClusterError';
import { KubernetesSecret } from '../kubernetes/types';
import { CycleContext } from './CycleContext';
import { WorkItem } from './WorkItem';

const MAX_CONFLICT_RETRIES = 3;

/**
 * Writes the Secret the core computed, from `current`. A 409 Conflict (the
 * Secret changed since it was read) re-reads it and recomputes, a few times.
 */
export async function writeSecret(
  item: WorkItem,
  ctx: CycleContext,
  targetName: string,
  current: CurrentSecret | undefined,
  compute: (current: CurrentSecret | undefined) => ReconcileResult,
): Promise<{ result: ReconcileResult; writeError?: Error }> {
  let latest = current;
  let result = compute(latest);
  for (let attempt = 0; ; attempt++) {
    try {
      await applyResult(item, result, ctx, latest);
      return { result };
    } catch (e) {
      const conflict = e instanceof ClusterError && e.errorType === 'CONFLICT';
      if (!conflict || attempt >= MAX_CONFLICT_RETRIES) {
        return { result, writeError: e as Error };
      }
      latest = toCurrent(
        await item.inventory.client.getSecret(item.namespace, targetName),
      );
      result = compute(latest);
    }
  }
}

async function applyResult(
  item: WorkItem,
  result: ReconcileResult,
  ctx: CycleContext,
  current: CurrentSecret | undefined,
): Promise<void> {
  const client = item.inventory.client;
  const desired = result.desired;
  if ((result.action === 'create' || result.action === 'update') && desired) {
    const secret: KubernetesSecret = {
      metadata: {
        ...desired.metadata,
        resourceVersion: current?.metadata.resourceVersion,
      },
      type: desired.type,
      immutable: desired.immutable || undefined,
      data: desired.data,
    };
    await (current
      ? client.replaceSecret(secret)
      : client.createSecret(secret));
    await audit(
      ctx,
      item,
      current ? 'update' : 'create',
      desired.metadata.name,
      result,
    );
  } else if (result.action === 'delete' && current) {
    await client.deleteSecret(item.namespace, current.metadata.name, {
      resourceVersion: current.metadata.resourceVersion,
    });
    await audit(ctx, item, 'delete', current.metadata.name, result);
  }
}

async function audit(
  ctx: CycleContext,
  item: WorkItem,
  action: 'create' | 'update' | 'delete',
  secretName: string,
  result: ReconcileResult,
) {
  const auditEvent = await ctx.auditor.createEvent({
    eventId: 'secret-write',
    severityLevel: 'medium',
    meta: {
      action,
      cluster: item.inventory.config.name,
      namespace: item.namespace,
      secret: secretName,
      externalSecret: item.name,
      entityRef: item.entityRef,
      changedKeys: result.changedKeys,
      removedKeys: result.removedKeys,
    },
  });
  await auditEvent.success();
}

export async function writeStatus(
  item: WorkItem,
  es: ExternalSecret,
  condition: Condition<ExternalSecretConditionReason>,
  ctx: CycleContext,
  keepFrom: ExternalSecretStatus | undefined,
) {
  const status: ExternalSecretStatus = {
    refreshTime: keepFrom?.refreshTime ?? ctx.now.toISOString(),
    syncedResourceVersion: keepFrom
      ? keepFrom.syncedResourceVersion
      : syncedResourceVersion(es),
    binding: { name: es.spec.target.name },
    conditions: [condition],
  };
  if (sameStatus(es.status, status)) return;
  try {
    // The resourceVersion we listed it with: no GET before every status write
    // (one apiserver round trip per written status), and a conflict rather
    // than an overwrite if the ExternalSecret changed meanwhile (the next
    // cycle sees that change), as ESO's Status().Update does.
    await item.inventory.client.replaceExternalSecretStatus(
      item.namespace,
      item.name,
      status,
      es.metadata.resourceVersion,
    );
  } catch (e) {
    ctx.logger.warn(
      `Could not write the status of ExternalSecret ${item.namespace}/${
        item.name
      } in cluster ${item.inventory.config.name}: ${(e as Error).message}`,
    );
  }
}

/** Status writes only when the condition or the synced version changed (steady state writes nothing). */
function sameStatus(
  a: ExternalSecretStatus | undefined,
  b: ExternalSecretStatus,
) {
  const ca = a?.conditions?.find(c => c.type === 'Ready');
  const cb = b.conditions?.[0];
  return (
    a?.syncedResourceVersion === b.syncedResourceVersion &&
    ca?.status === cb?.status &&
    ca?.reason === cb?.reason &&
    ca?.message === cb?.message
  );
}

export function toCurrent(
  secret: KubernetesSecret | undefined,
): CurrentSecret | undefined {
  if (!secret) return undefined;
  return {
    metadata: {
      name: secret.metadata.name,
      namespace: secret.metadata.namespace,
      labels: secret.metadata.labels,
      annotations: secret.metadata.annotations,
      ownerReferences: secret.metadata.ownerReferences,
      resourceVersion: secret.metadata.resourceVersion,
    },
    type: secret.type,
    immutable: secret.immutable,
    data: secret.data,
  };
}
