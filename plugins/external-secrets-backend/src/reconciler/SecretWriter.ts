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
  LABEL_CREATED_BY,
  LABEL_MANAGED,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  computeCreatedByLabel,
  CurrentSecret,
  ReconcileResult,
  syncedResourceVersion,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ClusterError } from '../kubernetes/ClusterError';
import {
  externalSecretFieldManager,
  ManagedKeysByManager,
} from '../kubernetes/externalSecretFieldManager';
import { KubernetesSecret } from '../kubernetes/types';
import { CycleContext } from './CycleContext';
import { WorkItem } from './WorkItem';

const MAX_CONFLICT_RETRIES = 3;

/** The target Secret as read, with the keys each ExternalSecret field manager owns. */
export type TargetSecret = CurrentSecret & {
  managedKeys?: ManagedKeysByManager;
};

/** What became of the write: done, refused (nothing written) or failed. */
export type WriteOutcome = {
  result: ReconcileResult;
  /** Why nothing was written: the Secret is not ours to write. */
  refused?: string;
  /** The write (or the re-read after a conflict) failed. */
  writeError?: Error;
};

/**
 * Writes the Secret the core computed, from `current`. A 409 Conflict (the
 * Secret changed since it was read) re-reads it, checks again that it may be
 * written, and recomputes, a few times. Never throws: every failure comes
 * back as the outcome of this ExternalSecret.
 */
export async function writeSecret(
  item: WorkItem,
  ctx: CycleContext,
  targetName: string,
  current: TargetSecret | undefined,
  compute: (current: TargetSecret | undefined) => ReconcileResult,
): Promise<WriteOutcome> {
  let latest = current;
  let result = compute(asSeenByCore(item, latest));
  for (let attempt = 0; ; attempt++) {
    try {
      await applyResult(item, result, ctx, latest);
      return { result };
    } catch (e) {
      const conflict = e instanceof ClusterError && e.errorType === 'CONFLICT';
      if (!conflict || attempt >= MAX_CONFLICT_RETRIES) {
        return {
          result,
          writeError: new Error(
            `could not write Secret ${item.namespace}/${targetName}: ${
              (e as Error).message
            }`,
          ),
        };
      }
    }
    try {
      latest = toCurrent(
        await item.inventory.client.getSecret(item.namespace, targetName),
      );
    } catch (e) {
      return {
        result,
        writeError: new Error(
          `could not re-read Secret ${
            item.namespace
          }/${targetName} after a conflict: ${(e as Error).message}`,
        ),
      };
    }
    const refused = adoptionRefusal(item, latest);
    if (refused) return { result, refused };
    result = compute(asSeenByCore(item, latest));
  }
}

/**
 * Which existing Secret an ExternalSecret may write. A CR follows ESO: it
 * adopts a Secret without a controller owner, and the core refuses one owned
 * by another controller. An entity-declared manifest has no RBAC gate between
 * its author and the namespace, so it writes only a Secret it created: one
 * with the managed label and ESO's created-by label for this ExternalSecret
 * (which a manifest sets on every Secret it writes), and no controller owner.
 */
export function adoptionRefusal(
  item: WorkItem,
  current: CurrentSecret | undefined,
): string | undefined {
  if (item.origin !== 'manifest' || !current) return undefined;
  const labels = current.metadata.labels ?? {};
  const createdBy = createdByLabel(item);
  const ours =
    labels[LABEL_MANAGED] === 'true' &&
    labels[LABEL_CREATED_BY] === createdBy &&
    !current.metadata.ownerReferences?.some(ref => ref.controller);
  if (ours) return undefined;
  return `Secret ${item.namespace}/${current.metadata.name} exists and was not created by this ExternalSecret; entity-declared manifests never adopt existing Secrets. Delete it or choose another spec.target.name (to hand it over on purpose, label it ${LABEL_MANAGED}=true and ${LABEL_CREATED_BY}=${createdBy})`;
}

function createdByLabel(item: WorkItem): string {
  return computeCreatedByLabel(item.namespace, item.name);
}

/**
 * A manifest is applied with creationPolicy Orphan (see withoutOwner), for
 * which the core drops the created-by label; the label is ours to keep (it is
 * how a manifest knows its Secret), so the core compares without it and
 * applyResult puts it back on every write.
 */
function asSeenByCore(
  item: WorkItem,
  current: TargetSecret | undefined,
): TargetSecret | undefined {
  if (item.origin !== 'manifest' || !current?.metadata.labels) return current;
  const { [LABEL_CREATED_BY]: _ours, ...labels } = current.metadata.labels;
  return { ...current, metadata: { ...current.metadata, labels } };
}

function labelsToWrite(
  item: WorkItem,
  labels: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (item.origin !== 'manifest') return labels;
  return { ...labels, [LABEL_CREATED_BY]: createdByLabel(item) };
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
        labels: labelsToWrite(item, desired.metadata.labels),
        resourceVersion: current?.metadata.resourceVersion,
      },
      type: desired.type,
      immutable: desired.immutable || undefined,
      data: desired.data,
    };
    // As ESO writes it (client.FieldOwner(fqdnFor(es.Name))): managedFields
    // then say which labels, annotations and keys this ExternalSecret owns.
    const options = { fieldManager: externalSecretFieldManager(item.name) };
    await (current
      ? client.replaceSecret(secret, options)
      : client.createSecret(secret, options));
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

/**
 * Audits a write that happened. A failing auditor does not undo it, so it is
 * logged as what it is, never reported as a failed write.
 */
async function audit(
  ctx: CycleContext,
  item: WorkItem,
  action: 'create' | 'update' | 'delete',
  secretName: string,
  result: Pick<ReconcileResult, 'changedKeys' | 'removedKeys'>,
) {
  try {
    await recordAuditEvent(ctx, item, action, secretName, result);
  } catch (e) {
    ctx.logger.error(
      `Secret ${item.namespace}/${secretName} in cluster ${
        item.inventory.config.name
      } was ${action}d, but its audit event (secret-write) could not be recorded: ${
        (e as Error).message
      }`,
    );
  }
}

async function recordAuditEvent(
  ctx: CycleContext,
  item: WorkItem,
  action: 'create' | 'update' | 'delete',
  secretName: string,
  result: Pick<ReconcileResult, 'changedKeys' | 'removedKeys'>,
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
  // A failure keeps the last successful refreshTime (none after a failed
  // first sync), as ESO moves it only on a sync.
  const refreshTime = keepFrom
    ? keepFrom.refreshTime
    : toKubernetesTime(ctx.now.toISOString());
  const status: ExternalSecretStatus = {
    ...(refreshTime ? { refreshTime } : {}),
    syncedResourceVersion: keepFrom
      ? keepFrom.syncedResourceVersion
      : syncedResourceVersion(es),
    // ESO binds no Secret it does not write.
    binding: {
      name:
        es.spec?.target?.creationPolicy === 'None'
          ? ''
          : es.spec?.target?.name ?? es.metadata.name,
    },
    conditions: [
      {
        ...condition,
        lastTransitionTime: toKubernetesTime(condition.lastTransitionTime),
      },
    ],
  };
  // With updateRefreshTime, a sync that moved refreshTime is a change too.
  const movedRefreshTime =
    ctx.updateRefreshTime &&
    !keepFrom &&
    es.status?.refreshTime !== refreshTime;
  if (sameStatus(es.status, status) && !movedRefreshTime) return;
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

/** RFC 3339 in whole seconds, as the apiserver writes `metav1.Time`. */
export function toKubernetesTime(iso: string): string;
export function toKubernetesTime(iso: string | undefined): string | undefined;
export function toKubernetesTime(iso: string | undefined) {
  if (!iso) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
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

/**
 * After `spec.target.name` changed, deletes the Secret this ExternalSecret
 * wrote under its old name, as ESO's deleteOrphanedSecrets does for
 * creationPolicy Owner (externalsecret_controller.go). Only a Secret that is
 * provably ours goes: the managed label, ESO's created-by label for this
 * ExternalSecret and a controller ownerReference to this very object (uid).
 * Returns why it could not be deleted, if it could not.
 */
export async function deleteOrphanedSecret(
  item: WorkItem,
  es: ExternalSecret,
  oldName: string,
  ctx: CycleContext,
): Promise<string | undefined> {
  try {
    const old = toCurrent(await ctx.currentSecret(item, oldName));
    if (!old || !ownedBy(old, item, es)) return undefined;
    await item.inventory.client.deleteSecret(item.namespace, oldName, {
      resourceVersion: old.metadata.resourceVersion,
    });
    await audit(ctx, item, 'delete', oldName, {
      changedKeys: [],
      removedKeys: Object.keys(old.data ?? {}),
    });
    return undefined;
  } catch (e) {
    return `could not delete Secret ${
      item.namespace
    }/${oldName}, which this ExternalSecret wrote before spec.target.name changed: ${
      (e as Error).message
    }`;
  }
}

function ownedBy(
  secret: CurrentSecret,
  item: WorkItem,
  es: ExternalSecret,
): boolean {
  const labels = secret.metadata.labels ?? {};
  return (
    labels[LABEL_MANAGED] === 'true' &&
    labels[LABEL_CREATED_BY] === createdByLabel(item) &&
    Boolean(
      secret.metadata.ownerReferences?.some(
        ref =>
          ref.controller &&
          ref.kind === 'ExternalSecret' &&
          ref.name === item.name &&
          Boolean(es.metadata.uid) &&
          ref.uid === es.metadata.uid,
      ),
    )
  );
}

export function toCurrent(
  secret: KubernetesSecret | undefined,
): TargetSecret | undefined {
  if (!secret) return undefined;
  return {
    metadata: {
      name: secret.metadata.name,
      namespace: secret.metadata.namespace,
      labels: secret.metadata.labels,
      annotations: secret.metadata.annotations,
      ownerReferences: secret.metadata.ownerReferences,
      resourceVersion: secret.metadata.resourceVersion,
      finalizers: secret.metadata.finalizers,
      deletionTimestamp: secret.metadata.deletionTimestamp,
    },
    type: secret.type,
    immutable: secret.immutable,
    data: secret.data,
    managedKeys: secret.managedKeys,
  };
}
