import {
  ANNOTATION_DATA_HASH,
  ExternalSecret,
  ParsedExternalSecret,
  parseExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  CurrentSecret,
  isDue,
  planReads,
  ProviderError,
  reconcileExternalSecret,
  ReconcileResult,
  StoreReadiness,
  syncedResourceVersion,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ExternalSecretRecord } from '../database/StatusStore';
import { CycleContext, SyncOutcome } from './CycleContext';
import {
  decideMode,
  refKey,
  resolveStores,
  Resolutions,
  storeCatalog,
} from './decideMode';
import { executeReads } from './executeReads';
import { observeExternalSecret } from './observeExternalSecret';
import {
  errorCondition,
  keepTransitionTime,
  lastStatus,
  reportFailure,
} from './externalSecretStatus';
import { backoffUntil, nextPeriodicDue, notDue } from './schedule';
import {
  producedMetadataKeys,
  staleKeys,
  withoutStaleMetadata,
} from './staleMetadata';
import { storeNotReady } from './storeGate';
import {
  adoptionRefusal,
  deleteOrphanedSecret,
  toCurrent,
  writeSecret,
  writeStatus,
} from './SecretWriter';
import { recordSyncEvent } from './KubernetesEvents';
import {
  baseRecord,
  describeIssues,
  eventsFor,
  failed,
  stateOf,
  toKeyRecord,
  uidOf,
} from './syncRecords';
import { WorkItem } from './WorkItem';

export type { CycleContext, SyncOutcome } from './CycleContext';

/**
 * Handles one ExternalSecret: parse, decide mode and whether it is due, read its
 * keys through the cycle's clients, run the pure core, write only what changed,
 * and describe the outcome. Failures are recorded on the ExternalSecret, never
 * thrown past it.
 */
export async function syncExternalSecret(
  item: WorkItem,
  ctx: CycleContext,
): Promise<SyncOutcome> {
  const previous = sameObject(ctx.previous(item), item);
  if (item.error) return failed(item, ctx, previous, item.error);
  const parsed = parseExternalSecret(item.raw);
  if (!parsed.ok) {
    const message = describeIssues(parsed.issues);
    // Whose it is cannot be told without a parse: only where every
    // ExternalSecret is ours does the failure reach its status.
    if (item.inventory.config.esoFree) {
      await reportFailure(
        item,
        item.raw as ExternalSecret,
        ctx,
        previous,
        message,
      );
    }
    return failed(item, ctx, previous, message, 'Unsupported', parsed.issues);
  }
  const declared =
    item.origin === 'manifest' ? withoutOwner(parsed.value) : parsed.value;
  const catalog = storeCatalog(item, ctx);
  const stores = resolveStores(declared, item, catalog, ctx);
  const mode = decideMode(item, stores, ctx);
  if (mode.observe) {
    return observeExternalSecret(item, declared, ctx, previous, mode.reason);
  }
  if (mode.refuse) {
    return failed(
      item,
      ctx,
      previous,
      mode.refuse,
      'Error',
      undefined,
      declared,
    );
  }
  return reconcile(
    item,
    declared,
    stores,
    ctx,
    previous,
    declared.externalSecret,
  );
}

/**
 * The record of this very object: an ExternalSecret deleted and recreated
 * with the same name has another uid, and is new to ESO (synced at once, no
 * backoff, no history of the old one's status).
 */
function sameObject(
  previous: ExternalSecretRecord | undefined,
  item: WorkItem,
): ExternalSecretRecord | undefined {
  const uid = uidOf(item);
  return previous?.uid && uid && previous.uid !== uid ? undefined : previous;
}

/**
 * A declared manifest has no ExternalSecret object in the cluster to own the
 * Secret (an ownerReference to a missing owner gets it garbage-collected), so
 * creationPolicy Owner acts as Orphan: created and updated, kept when the
 * declaration goes away.
 */
function withoutOwner(parsed: ParsedExternalSecret): ParsedExternalSecret {
  const { target } = parsed.externalSecret.spec;
  if (target.creationPolicy !== 'Owner') return parsed;
  return {
    ...parsed,
    externalSecret: {
      ...parsed.externalSecret,
      spec: {
        ...parsed.externalSecret.spec,
        target: { ...target, creationPolicy: 'Orphan' },
      },
    },
  };
}

async function reconcile(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  stores: Resolutions,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
  es: ExternalSecret,
): Promise<SyncOutcome> {
  const targetName = es.spec.target.name;
  let current: CurrentSecret | undefined;
  try {
    current = toCurrent(await ctx.currentSecret(item, targetName));
  } catch (e) {
    // Without the current Secret we cannot tell a change from a first write:
    // touch nothing and say why (RBAC on `secrets` is the usual cause).
    const message = `could not read Secret ${item.namespace}/${targetName}: ${
      (e as Error).message
    }`;
    await reportFailure(item, es, ctx, previous, message);
    return failed(item, ctx, previous, message, 'Error', undefined, parsed);
  }
  // Before any provider read: a Secret we may not write needs no values.
  const refusal = adoptionRefusal(item, current);
  if (refusal) {
    return failed(item, ctx, previous, refusal, 'Error', undefined, parsed);
  }
  const status = lastStatus(item, previous, es);
  const forced =
    Boolean(
      previous?.syncRequestedAt &&
        (!previous.lastAttemptAt ||
          previous.syncRequestedAt > previous.lastAttemptAt),
    ) ||
    Boolean(
      ctx.mergeClaims?.takeNotice(
        `${item.inventory.config.name}/${item.namespace}/${item.name}`,
      ),
    );
  const due = isDue({
    externalSecret: es,
    status,
    now: ctx.now,
    targetSecret: current,
  });
  // A spec changed since the failing attempt is retried at once (ESO: a new
  // generation is a new reconcile, not a requeue), whatever `isDue` names first.
  const specChangedSinceAttempt =
    previous?.attemptedResourceVersion !== undefined &&
    previous.attemptedResourceVersion !== syncedResourceVersion(es);
  const backingOff =
    (previous?.consecutiveFailures ?? 0) > 0 &&
    previous?.nextDueAt !== undefined &&
    previous.nextDueAt > ctx.now &&
    due.reason !== 'spec-changed' &&
    !specChangedSinceAttempt;
  const triggered = ctx.propagation?.trigger({
    stores: [...stores.values()].flatMap(r => (r.ok ? [r.resolved] : [])),
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    lastAttemptAt: previous?.lastAttemptAt,
    now: ctx.now,
  });
  if (!forced && (!(due.due || triggered) || backingOff)) {
    return notDue(
      item,
      parsed,
      previous,
      due.nextDueAt ?? previous?.nextDueAt,
      due.message,
    );
  }

  // ESO's flood gate: nothing is read through a store that is not Ready.
  const gated = gateOnLastValidation(stores, item, ctx);
  const storeStatus = new Map<string, StoreReadiness>();
  for (const [key, resolution] of gated) {
    storeStatus.set(
      key,
      resolution.ok
        ? { ready: true, message: '' }
        : { ready: false, message: resolution.message },
    );
  }
  const planned = planReads(parsed);
  const reads = await executeReads({
    requests: planned,
    limit: ctx.readLimit,
    clientFor: async request => {
      const resolution = gated.get(refKey(request.storeRef));
      if (!resolution?.ok) {
        return new ProviderError(
          'INVALID_CONFIG',
          resolution?.message ?? 'store not resolved',
          {
            provider: 'unknown',
            store: refKey(request.storeRef),
          },
        );
      }
      return ctx.clients.get(
        resolution.resolved,
        item.inventory.client,
        item.namespace,
      );
    },
  });
  for (const request of planned) {
    const resolution = gated.get(refKey(request.storeRef));
    if (resolution?.ok && reads.get(request.id)?.ok) {
      ctx.clients.noteSuccessfulRead(resolution.resolved.key);
    }
  }

  const { result, refused, writeError } = await writeSecret(
    item,
    ctx,
    targetName,
    current,
    fresh => {
      const computed = withoutStaleMetadata(
        reconcileExternalSecret({
          parsed,
          reads,
          storeStatus,
          current: fresh,
          now: ctx.now,
        }),
        fresh,
        staleKeys(previous?.writtenMetadata, producedMetadataKeys(es)),
      );
      return (
        ctx.mergeClaims?.resolve(
          `${item.inventory.config.name}/${item.namespace}/${targetName}`,
          es,
          computed,
          fresh,
          (item.raw as { metadata?: { creationTimestamp?: string } })?.metadata
            ?.creationTimestamp,
        ) ?? computed
      );
    },
  );

  const failure =
    refused ??
    writeError?.message ??
    (result.condition.status === 'True'
      ? await deleteRenamedFrom(item, es, previous, targetName, ctx)
      : undefined);
  const condition = failure
    ? errorCondition(failure, ctx.now)
    : result.condition;
  const keptCondition = keepTransitionTime(condition, es);
  const failedNow = condition.status !== 'True';
  if (item.origin === 'cluster') {
    await writeStatus(
      item,
      es,
      keptCondition,
      ctx,
      failedNow ? status : undefined,
    );
    await recordSyncEvent({
      client: item.inventory.client,
      externalSecret: es,
      action: result.action,
      failure: failedNow
        ? { message: condition.message ?? condition.reason ?? 'sync failed' }
        : undefined,
      previous,
      now: ctx.now,
      logger: ctx.logger,
    });
  }
  const failures = failedNow ? (previous?.consecutiveFailures ?? 0) + 1 : 0;
  const dataChanged = changedData(result, current, refused, writeError);
  const record: ExternalSecretRecord = {
    ...baseRecord(item, parsed, 'reconcile'),
    state: stateOf(condition, result.keys),
    reason: condition.reason,
    message: condition.message,
    dataHash: (!failure && result.dataHash) || previous?.dataHash,
    syncedResourceVersion: failedNow
      ? previous?.syncedResourceVersion
      : syncedResourceVersion(es),
    lastAttemptAt: ctx.now,
    attemptedResourceVersion: syncedResourceVersion(es),
    lastSuccessAt: failedNow ? previous?.lastSuccessAt : ctx.now,
    nextDueAt: nextDue(
      es,
      ctx.now,
      failedNow,
      failures,
      heldBack(stores, gated),
    ),
    consecutiveFailures: failures,
    // What is on the Secret now: produced keys once written, else as before.
    writtenMetadata:
      failedNow || !result.desired
        ? previous?.writtenMetadata
        : producedMetadataKeys(es),
    keys: result.keys.map(toKeyRecord),
    dataChangedAt: dataChanged ? ctx.now : previous?.dataChangedAt,
  };
  return {
    record,
    changed: true,
    dataChanged,
    events: eventsFor(
      item,
      result,
      record,
      previous,
      failure ? new Error(failure) : undefined,
    ),
  };
}

/**
 * The data-hash our write moved the Secret to, when it did: a create, or an
 * update whose data (not only labels or annotations) changed. Undefined when
 * nothing was written (refused, failed, unchanged).
 */
function changedData(
  result: Pick<
    ReconcileResult,
    'action' | 'dataHash' | 'desired' | 'changedKeys'
  >,
  current: CurrentSecret | undefined,
  refused: string | undefined,
  writeError: Error | undefined,
): SyncOutcome['dataChanged'] {
  if (refused || writeError || !result.desired || !result.dataHash) {
    return undefined;
  }
  if (result.action !== 'create' && result.action !== 'update')
    return undefined;
  const previousHash = current?.metadata.annotations?.[ANNOTATION_DATA_HASH];
  if (current && previousHash === result.dataHash) return undefined;
  return {
    hash: result.dataHash,
    ...(current && { previousHash: previousHash ?? '' }),
    changedKeys: result.changedKeys,
    secretAnnotations: result.desired.metadata.annotations ?? {},
  };
}

function gateOnLastValidation(
  stores: Resolutions,
  item: WorkItem,
  ctx: CycleContext,
): Resolutions {
  const gated: Resolutions = new Map();
  for (const [key, resolution] of stores) {
    const notReady =
      resolution.ok &&
      storeNotReady(
        ctx.lastStoreValidation?.(
          item.inventory.config.name,
          resolution.resolved,
        ),
      );
    gated.set(key, notReady ? { ok: false, message: notReady } : resolution);
  }
  return gated;
}

/**
 * Periodic after a sync; a backoff after a failure, except when the store
 * gate held the reads back: then it is retried as soon as the store is
 * Ready again, not after a backoff of this ExternalSecret's own.
 */
function nextDue(
  es: ExternalSecret,
  now: Date,
  failedNow: boolean,
  failures: number,
  gatedOut: boolean,
): Date | undefined {
  if (!failedNow) return nextPeriodicDue(es, now);
  return gatedOut ? undefined : backoffUntil(now, failures);
}

function heldBack(stores: Resolutions, gated: Resolutions): boolean {
  return [...stores].some(([key, r]) => r.ok && !gated.get(key)?.ok);
}

/**
 * Once the Secret is written under a new `spec.target.name`, the one it
 * wrote before is an orphan: ESO deletes it for creationPolicy Owner
 * (deleteOrphanedSecrets). Never for other policies or a declared manifest.
 */
async function deleteRenamedFrom(
  item: WorkItem,
  es: ExternalSecret,
  previous: ExternalSecretRecord | undefined,
  targetName: string,
  ctx: CycleContext,
): Promise<string | undefined> {
  const oldName = previous?.targetSecret;
  if (
    item.origin !== 'cluster' ||
    es.spec.target.creationPolicy !== 'Owner' ||
    !oldName ||
    oldName === targetName
  ) {
    return undefined;
  }
  return deleteOrphanedSecret(item, es, oldName, ctx);
}
