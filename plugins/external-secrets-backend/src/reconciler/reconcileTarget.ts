import {
  ExternalSecret,
  ParsedExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  reconcileExternalSecret,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ExternalSecretRecord } from '../database/StatusStore';
import { CycleContext, SyncOutcome } from './CycleContext';
import { changedData } from './dataChange';
import { Resolutions } from './decideMode';
import { skipUnlessDue } from './dueCheck';
import {
  errorCondition,
  keepTransitionTime,
  lastStatus,
  reportFailure,
} from './externalSecretStatus';
import { externalSecretFieldManager } from '../kubernetes/externalSecretFieldManager';
import { recordSyncEvent } from './KubernetesEvents';
import { mergeCoWriters } from './mergeCoWriters';
import { reconcileRecord } from './reconcileRecord';
import { deleteRenamedFrom } from './renamedTarget';
import {
  adoptionRefusal,
  TargetSecret,
  toCurrent,
  writeSecret,
  writeStatus,
} from './SecretWriter';
import {
  producedMetadataKeys,
  staleKeys,
  withoutStaleMetadata,
} from './staleMetadata';
import { withoutStaleDataKeys } from './staleDataKeys';
import { readThroughStores, StoreReads } from './storeReads';
import { eventsFor, failed } from './syncRecords';
import { readTemplateSources } from './templateSources';
import { WorkItem } from './WorkItem';

/**
 * Reconcile mode for one ExternalSecret we control: read the target Secret,
 * stop unless due, read the keys (and templateFrom's ConfigMaps/Secrets),
 * run the pure core, write what changed, then report status and events.
 */
export async function reconcileTarget(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  stores: Resolutions,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
): Promise<SyncOutcome> {
  const es = parsed.externalSecret;
  const targetName = es.spec.target.name;
  let current: TargetSecret | undefined;
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
  const notDue = skipUnlessDue({
    item,
    parsed,
    es,
    status,
    current,
    previous,
    stores,
    ctx,
  });
  if (notDue) return notDue;

  const storeReads = await readThroughStores(item, parsed, stores, ctx);
  const templateSources = await readTemplateSources(
    parsed,
    item.inventory.client,
    item.namespace,
  );
  const { result, refused, writeError } = await writeSecret(
    item,
    ctx,
    targetName,
    current,
    fresh =>
      computeTarget({
        item,
        parsed,
        previous,
        ctx,
        storeReads,
        templateSources,
        fresh,
      }),
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
  await report(item, es, ctx, {
    result,
    condition,
    previous,
    lastStatus: status,
  });
  const dataChanged = changedData(result, current, refused, writeError);
  const record = reconcileRecord({
    item,
    parsed,
    es,
    result,
    condition,
    failure,
    previous,
    now: ctx.now,
    heldBack: storeReads.heldBack,
  });
  record.dataChangedAt = dataChanged ? ctx.now : previous?.dataChangedAt;
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

/** The core's decision on the Secret as it is now, then the stale-key and Merge-conflict rules. */
function computeTarget(options: {
  item: WorkItem;
  parsed: ParsedExternalSecret;
  previous: ExternalSecretRecord | undefined;
  ctx: CycleContext;
  storeReads: StoreReads;
  templateSources: Awaited<ReturnType<typeof readTemplateSources>>;
  fresh: TargetSecret | undefined;
}): ReconcileResult {
  const { item, parsed, previous, ctx, storeReads, fresh } = options;
  const es = parsed.externalSecret;
  const managed = fresh?.managedKeys?.[externalSecretFieldManager(item.name)];
  const core = reconcileExternalSecret({
    parsed,
    reads: storeReads.reads,
    storeStatus: storeReads.storeStatus,
    current: fresh,
    now: ctx.now,
    templateSources: options.templateSources,
  });
  const computed = withoutStaleMetadata(
    withoutStaleDataKeys(core, fresh, managed, es.spec.target.creationPolicy),
    fresh,
    staleKeys(previous?.writtenMetadata, producedMetadataKeys(es), managed),
  );
  const targetName = es.spec.target.name;
  return (
    ctx.mergeClaims?.resolve({
      target: `${item.inventory.config.name}/${item.namespace}/${targetName}`,
      es,
      created: (item.raw as { metadata?: { creationTimestamp?: string } })
        ?.metadata?.creationTimestamp,
      result: computed,
      current: fresh,
      coWriters: mergeCoWriters(
        item.inventory,
        item.namespace,
        targetName,
        item.name,
      ),
    }) ?? computed
  );
}

/** Status subresource and Kubernetes Event of a CR (a declared manifest has neither). */
async function report(
  item: WorkItem,
  es: ExternalSecret,
  ctx: CycleContext,
  outcome: {
    result: ReconcileResult;
    condition: ReturnType<typeof errorCondition>;
    previous: ExternalSecretRecord | undefined;
    lastStatus: ReturnType<typeof lastStatus>;
  },
): Promise<void> {
  if (item.origin !== 'cluster') return;
  const { condition } = outcome;
  const failedNow = condition.status !== 'True';
  // Side by side, one round trip per ExternalSecret instead of two: ESO's
  // EventRecorder is asynchronous too (the Event never waits for the status).
  await Promise.all([
    writeStatus(
      item,
      es,
      keepTransitionTime(condition, es),
      ctx,
      failedNow ? outcome.lastStatus : undefined,
    ),
    recordSyncEvent({
      client: item.inventory.client,
      externalSecret: es,
      action: outcome.result.action,
      failure: failedNow
        ? { message: condition.message ?? condition.reason ?? 'sync failed' }
        : undefined,
      previous: outcome.previous,
      now: ctx.now,
      logger: ctx.logger,
    }),
  ]);
}
