import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Condition,
  ExternalSecret,
  ExternalSecretConditionReason,
  ExternalSecretStatus,
  ParsedExternalSecret,
  parseExternalSecret,
  parseGoDuration,
  SecretStore,
  SecretStoreRef,
  ValidationIssue,
} from '@internal/backstage-plugin-external-secrets-common';
import {
  CurrentSecret,
  isDue,
  KeyStatus,
  planReads,
  ProviderError,
  reconcileExternalSecret,
  ReconcileResult,
  StoreReadiness,
  syncedResourceVersion,
} from '@internal/backstage-plugin-external-secrets-node';
import pLimit from 'p-limit';
import { ClusterError } from '../kubernetes/ClusterError';
import { KubernetesSecret } from '../kubernetes/types';
import {
  ExternalSecretRecord,
  ExternalSecretState,
  KeyStatusRecord,
  SyncEvent,
} from '../database/StatusStore';
import { CycleClients } from './CycleClients';
import { executeReads } from './executeReads';
import { PropagationPlan } from './PropagationPlan';
import { ProviderRegistry } from './ProviderRegistry';
import { resolveStore, ResolvedStore, StoreCatalog } from './StoreResolver';
import { WorkItem } from './WorkItem';

const MAX_CONFLICT_RETRIES = 3;
/** Observe mode has no per-key truth: keys take the ExternalSecret's state. */
const OBSERVED_KEY_STATE: Record<
  ExternalSecretState,
  KeyStatusRecord['state']
> = {
  Synced: 'synced',
  Error: 'error',
  Pending: 'pending',
  NotFound: 'pending',
  Unsupported: 'unsupported',
};
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/** Everything one cycle shares across its ExternalSecrets. */
export type CycleContext = {
  now: Date;
  providers: ProviderRegistry;
  configStores: SecretStore[];
  controllerClass: string;
  clients: CycleClients;
  readLimit: ReturnType<typeof pLimit>;
  logger: LoggerService;
  auditor: AuditorService;
  /** The managed Secrets of a namespace, listed once per cycle. */
  currentSecret: (
    item: WorkItem,
    name: string,
  ) => Promise<KubernetesSecret | undefined>;
  /** Last stored state, by `cluster/namespace/name`. */
  previous: (item: WorkItem) => ExternalSecretRecord | undefined;
  /** Stores opted into webhooks or polling (`externalSecrets.propagation`). */
  propagation?: PropagationPlan;
};

/** What the cycle does with the outcome: save it (and events), or nothing. */
export type SyncOutcome = {
  record: ExternalSecretRecord;
  /** False when nothing changed: skip the database write. */
  changed: boolean;
  events: SyncEvent[];
};

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
  const previous = ctx.previous(item);
  if (item.error) return failed(item, ctx, previous, item.error);
  const parsed = parseExternalSecret(item.raw);
  if (!parsed.ok) {
    return failed(
      item,
      ctx,
      previous,
      describeIssues(parsed.issues),
      'Unsupported',
      parsed.issues,
    );
  }
  const declared =
    item.origin === 'manifest' ? withoutOwner(parsed.value) : parsed.value;
  const catalog = storeCatalog(item, ctx);
  const stores = resolveStores(declared, item, catalog, ctx);
  const mode = decideMode(item, stores, ctx);
  if (mode.observe) return observe(item, declared, ctx, previous, mode.reason);
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

type Resolutions = Map<
  string,
  { ok: true; resolved: ResolvedStore } | { ok: false; message: string }
>;

function storeCatalog(item: WorkItem, ctx: CycleContext): StoreCatalog {
  return {
    cluster: item.inventory.config.name,
    clusterStores: item.inventory.stores,
    configStores: ctx.configStores,
    namespaceLabels: namespace =>
      item.inventory.namespaces.get(namespace)?.labels,
  };
}

function refKey(ref: SecretStoreRef) {
  return `${ref.kind}/${ref.name}`;
}

function resolveStores(
  parsed: ParsedExternalSecret,
  item: WorkItem,
  catalog: StoreCatalog,
  ctx: CycleContext,
): Resolutions {
  const resolutions: Resolutions = new Map();
  for (const request of planReads(parsed)) {
    const key = refKey(request.storeRef);
    if (!resolutions.has(key)) {
      resolutions.set(
        key,
        resolveStore(request.storeRef, item.namespace, catalog, ctx.providers),
      );
    }
  }
  return resolutions;
}

/**
 * Reconcile mode acts only on what is ours: a cluster declared ESO-free, stores
 * declared in app-config, or cluster stores whose `spec.controller` is our class.
 * Anything else belongs to the ESO running there and is only observed.
 */
function decideMode(
  item: WorkItem,
  stores: Resolutions,
  ctx: CycleContext,
): { observe?: boolean; reason?: string; refuse?: string } {
  const cluster = item.inventory.config;
  if (cluster.mode === 'observe') {
    if (item.origin === 'manifest') {
      return {
        refuse: `cluster ${cluster.name} is in observe mode: declared manifests are only applied to clusters in reconcile mode`,
      };
    }
    return { observe: true };
  }
  if (cluster.esoFree) return {};
  const ourClass = cluster.controllerClass ?? ctx.controllerClass;
  for (const [key, resolution] of stores) {
    if (!resolution.ok || resolution.resolved.origin === 'config') continue;
    const theirClass = resolution.resolved.store.spec.controller ?? '';
    if (theirClass !== ourClass && item.origin === 'cluster') {
      return {
        observe: true,
        reason: `left to the ESO controller of cluster ${cluster.name}: ${key} has spec.controller "${theirClass}", not "${ourClass}"`,
      };
    }
  }
  return {};
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
    return failed(
      item,
      ctx,
      previous,
      `could not read Secret ${item.namespace}/${targetName}: ${
        (e as Error).message
      }`,
      'Error',
      undefined,
      parsed,
    );
  }
  const status = lastStatus(item, previous, es);
  const forced = Boolean(
    previous?.syncRequestedAt &&
      (!previous.lastAttemptAt ||
        previous.syncRequestedAt > previous.lastAttemptAt),
  );
  const due = isDue({
    externalSecret: es,
    status,
    now: ctx.now,
    targetSecret: current,
  });
  const backingOff =
    (previous?.consecutiveFailures ?? 0) > 0 &&
    previous?.nextDueAt !== undefined &&
    previous.nextDueAt > ctx.now &&
    due.reason !== 'spec-changed';
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

  const storeStatus = new Map<string, StoreReadiness>();
  for (const [key, resolution] of stores) {
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
      const resolution = stores.get(refKey(request.storeRef));
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
    const resolution = stores.get(refKey(request.storeRef));
    if (resolution?.ok && reads.get(request.id)?.ok) {
      ctx.clients.noteSuccessfulRead(resolution.resolved.key);
    }
  }

  let result = reconcileExternalSecret({
    parsed,
    reads,
    storeStatus,
    current,
    now: ctx.now,
  });
  let writeError: Error | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      await applyResult(item, result, ctx, current);
      break;
    } catch (e) {
      const conflict = e instanceof ClusterError && e.errorType === 'CONFLICT';
      if (!conflict || attempt >= MAX_CONFLICT_RETRIES) {
        writeError = e as Error;
        break;
      }
      current = toCurrent(
        await item.inventory.client.getSecret(item.namespace, targetName),
      );
      result = reconcileExternalSecret({
        parsed,
        reads,
        storeStatus,
        current,
        now: ctx.now,
      });
    }
  }

  const condition = writeError
    ? errorCondition(
        `could not write Secret ${item.namespace}/${targetName}: ${writeError.message}`,
        ctx.now,
      )
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
  }
  const failures = failedNow ? (previous?.consecutiveFailures ?? 0) + 1 : 0;
  const record: ExternalSecretRecord = {
    ...baseRecord(item, parsed, 'reconcile'),
    state: stateOf(condition, result.keys),
    reason: condition.reason,
    message: condition.message,
    dataHash: result.dataHash ?? previous?.dataHash,
    syncedResourceVersion: failedNow
      ? previous?.syncedResourceVersion
      : syncedResourceVersion(es),
    lastAttemptAt: ctx.now,
    lastSuccessAt: failedNow ? previous?.lastSuccessAt : ctx.now,
    nextDueAt: failedNow
      ? backoffUntil(ctx.now, failures)
      : nextPeriodicDue(es, ctx.now),
    consecutiveFailures: failures,
    keys: result.keys.map(toKeyRecord),
  };
  return {
    record,
    changed: true,
    events: eventsFor(item, result, record, previous, writeError),
  };
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

async function writeStatus(
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

/**
 * When did it last sync? Our database first (shared by replicas); else the
 * status a previous controller (ESO) left on the CR, so taking a cluster over
 * from ESO does not resync everything at once.
 */
function lastStatus(
  item: WorkItem,
  previous: ExternalSecretRecord | undefined,
  es: ExternalSecret,
): ExternalSecretStatus {
  if (previous?.lastSuccessAt && previous.syncedResourceVersion) {
    return {
      refreshTime: previous.lastSuccessAt.toISOString(),
      syncedResourceVersion: previous.syncedResourceVersion,
    };
  }
  return item.origin === 'cluster' ? es.status ?? {} : {};
}

/** ESO keeps `lastTransitionTime` while status and reason stay the same. */
function keepTransitionTime(
  condition: Condition<ExternalSecretConditionReason>,
  es: ExternalSecret,
) {
  const old = es.status?.conditions?.find(c => c.type === 'Ready');
  if (
    old &&
    old.status === condition.status &&
    old.reason === condition.reason
  ) {
    return { ...condition, lastTransitionTime: old.lastTransitionTime };
  }
  return condition;
}

/**
 * Not due: nothing to read or write. A known ExternalSecret keeps its row as it
 * is (rows of `previous` carry no keys, so they are never re-saved from here);
 * one seen for the first time (e.g. taken over from ESO with a fresh status) is
 * recorded from its spec and status.
 */
function notDue(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  previous: ExternalSecretRecord | undefined,
  nextDueAt: Date | undefined,
  message: string | undefined,
): SyncOutcome {
  if (previous && !message)
    return { record: previous, changed: false, events: [] };
  const ready = parsed.externalSecret.status?.conditions?.find(
    c => c.type === 'Ready',
  );
  const synced = !message && ready?.status === 'True';
  return {
    record: {
      ...baseRecord(item, parsed, 'reconcile'),
      state: notDueState(message, synced),
      reason: message ? 'SecretSyncedError' : ready?.reason,
      message: message ?? ready?.message,
      lastSuccessAt: parsed.externalSecret.status?.refreshTime
        ? new Date(parsed.externalSecret.status.refreshTime)
        : undefined,
      consecutiveFailures: previous?.consecutiveFailures ?? 0,
      nextDueAt,
      keys: declaredKeys(parsed, synced ? 'synced' : 'pending', message),
    },
    changed: true,
    events: [],
  };
}

/**
 * Observe mode: ESO syncs; we report what its status says and whether the
 * target exists, from Secret METADATA only (values never leave the apiserver).
 */
async function observe(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
  why: string | undefined,
): Promise<SyncOutcome> {
  const es = parsed.externalSecret;
  const ready = es.status?.conditions?.find(c => c.type === 'Ready');
  let targetExists: boolean | undefined;
  try {
    targetExists = Boolean(
      await item.inventory.client.getSecretMetadata(
        item.namespace,
        es.spec.target.name,
      ),
    );
  } catch (e) {
    ctx.logger.warn(
      `Observe ${item.namespace}/${item.name}: ${(e as Error).message}`,
    );
  }
  let state: ExternalSecretState = 'Pending';
  if (ready?.status === 'True')
    state = targetExists === false ? 'NotFound' : 'Synced';
  if (ready?.status === 'False') state = 'Error';
  const message = [ready?.message, why].filter(Boolean).join('; ') || undefined;
  const keyState = OBSERVED_KEY_STATE[state];
  const record: ExternalSecretRecord = {
    ...baseRecord(item, parsed, 'observe'),
    state,
    reason: ready?.reason,
    message,
    dataHash: undefined,
    lastAttemptAt: ctx.now,
    lastSuccessAt: es.status?.refreshTime
      ? new Date(es.status.refreshTime)
      : undefined,
    consecutiveFailures: 0,
    keys: declaredKeys(parsed, keyState),
  };
  const changed =
    !previous ||
    previous.state !== record.state ||
    previous.message !== record.message ||
    previous.lastSuccessAt?.getTime() !== record.lastSuccessAt?.getTime();
  return { record, changed, events: [] };
}

function failed(
  item: WorkItem,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
  message: string,
  state: ExternalSecretState = 'Error',
  issues?: ValidationIssue[],
  parsed?: ParsedExternalSecret,
): SyncOutcome {
  const target =
    parsed?.externalSecret.spec.target.name ??
    targetNameOf(item.raw) ??
    item.name;
  const record: ExternalSecretRecord = {
    entityRef: item.entityRef,
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    name: item.name,
    origin: item.origin,
    mode: item.inventory.config.mode,
    targetSecret: target,
    state: issues?.some(i => i.severity === 'error') ? 'Error' : state,
    reason: 'SecretSyncedError',
    message,
    dataHash: previous?.dataHash,
    lastAttemptAt: ctx.now,
    lastSuccessAt: previous?.lastSuccessAt,
    consecutiveFailures: (previous?.consecutiveFailures ?? 0) + 1,
    keys: parsed ? declaredKeys(parsed, 'error', message) : [],
  };
  const changed =
    !previous ||
    previous.message !== message ||
    previous.state !== record.state;
  return {
    record,
    changed,
    events: changed ? [event(item, 'error', message, ctx.now)] : [],
  };
}

function notDueState(
  message: string | undefined,
  synced: boolean,
): ExternalSecretState {
  if (message) return 'Error';
  return synced ? 'Synced' : 'Pending';
}

function baseRecord(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  mode: 'reconcile' | 'observe',
): Omit<ExternalSecretRecord, 'state' | 'consecutiveFailures' | 'keys'> {
  const spec = parsed.externalSecret.spec;
  return {
    entityRef: item.entityRef,
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    name: item.name,
    origin: item.origin,
    mode,
    storeKind: spec.secretStoreRef?.kind,
    storeName: spec.secretStoreRef?.name,
    targetSecret: spec.target.name,
    refreshInterval: spec.refreshInterval,
    refreshPolicy: spec.refreshPolicy,
    creationPolicy: spec.target.creationPolicy,
    deletionPolicy: spec.target.deletionPolicy,
  };
}

/** The declared mappings, for modes where no read happens. */
function declaredKeys(
  parsed: ParsedExternalSecret,
  state: KeyStatusRecord['state'],
  message?: string,
): KeyStatusRecord[] {
  const spec = parsed.externalSecret.spec;
  const keys: KeyStatusRecord[] = spec.data.map((entry, i) => {
    const store = entry.sourceRef?.storeRef ?? spec.secretStoreRef;
    return {
      source: `data[${parsed.dataIndexes[i]}]`,
      secretKey: entry.secretKey,
      remoteKey: entry.remoteRef.key,
      property: entry.remoteRef.property,
      storeKind: store?.kind,
      storeName: store?.name,
      state,
      message,
    };
  });
  spec.dataFrom.forEach((entry, i) => {
    const store = entry.sourceRef?.storeRef ?? spec.secretStoreRef;
    keys.push({
      source: `dataFrom[${parsed.dataFromIndexes[i]}]`,
      remoteKey: entry.extract?.key ?? describeFind(entry.find),
      storeKind: store?.kind,
      storeName: store?.name,
      state,
      message,
    });
  });
  for (const invalid of parsed.invalidEntries) {
    keys.push({
      source: `${invalid.field}[${invalid.index}]`,
      secretKey: invalid.secretKey,
      state: invalid.issues.some(i => i.severity === 'unsupported')
        ? 'unsupported'
        : 'error',
      message: describeIssues(invalid.issues),
    });
  }
  return keys;
}

function describeFind(
  find:
    | {
        path?: string;
        name?: { regexp: string };
        tags?: Record<string, string>;
      }
    | undefined,
) {
  if (!find) return undefined;
  const parts = [
    find.path ? `path=${find.path}` : undefined,
    find.name ? `name=~${find.name.regexp}` : undefined,
    find.tags
      ? `tags=${Object.entries(find.tags)
          .map(([k, v]) => `${k}:${v}`)
          .join(',')}`
      : undefined,
  ].filter(Boolean);
  return `find(${parts.join(' ')})`;
}

function toKeyRecord(key: KeyStatus): KeyStatusRecord {
  return {
    source: key.source,
    secretKey: key.secretKey,
    remoteKey: key.remoteKey,
    property: key.property,
    storeKind: key.storeRef?.kind,
    storeName: key.storeRef?.name,
    state: key.state,
    reason: key.reason,
    message: key.message,
    errorType: key.errorType,
    remoteVersion: key.remoteVersion,
  };
}

function stateOf(
  condition: Condition<ExternalSecretConditionReason>,
  keys: KeyStatus[],
): ExternalSecretState {
  if (condition.status !== 'True') {
    return keys.length > 0 && keys.every(k => k.state === 'unsupported')
      ? 'Unsupported'
      : 'Error';
  }
  if (condition.reason === 'SecretMissing') return 'Pending';
  if (condition.reason === 'SecretDeleted') return 'NotFound';
  return keys.some(k => k.state === 'error' || k.state === 'unsupported')
    ? 'Error'
    : 'Synced';
}

function toCurrent(
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

function errorCondition(
  message: string,
  now: Date,
): Condition<ExternalSecretConditionReason> {
  return {
    type: 'Ready',
    status: 'False',
    reason: 'SecretSyncedError',
    message,
    lastTransitionTime: now.toISOString(),
  };
}

function backoffUntil(now: Date, failures: number): Date {
  const delay = Math.min(
    BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1),
    BACKOFF_MAX_MS,
  );
  return new Date(now.getTime() + delay);
}

/** After a sync: when a Periodic refresh is next due (none for 0, OnChange, CreatedOnce). */
function nextPeriodicDue(es: ExternalSecret, now: Date): Date | undefined {
  const intervalMs = parseGoDuration(es.spec.refreshInterval);
  if (es.spec.refreshPolicy !== 'Periodic' || !intervalMs || intervalMs <= 0) {
    return undefined;
  }
  return new Date(now.getTime() + intervalMs);
}

function eventsFor(
  item: WorkItem,
  result: ReconcileResult,
  record: ExternalSecretRecord,
  previous: ExternalSecretRecord | undefined,
  writeError: Error | undefined,
): SyncEvent[] {
  const now = record.lastAttemptAt!;
  if (writeError || record.state === 'Error') {
    const repeated =
      previous?.state === 'Error' && previous.message === record.message;
    return repeated ? [] : [event(item, 'error', record.message, now)];
  }
  switch (result.action) {
    case 'create':
      return [
        event(
          item,
          'created',
          `created Secret ${item.namespace}/${record.targetSecret}`,
          now,
          result.changedKeys,
        ),
      ];
    case 'update':
      return [
        event(
          item,
          'updated',
          `updated Secret ${item.namespace}/${record.targetSecret}`,
          now,
          [...result.changedKeys, ...result.removedKeys],
        ),
      ];
    case 'delete':
      return [
        event(
          item,
          'deleted',
          `deleted Secret ${item.namespace}/${record.targetSecret}`,
          now,
        ),
      ];
    case 'refuse':
      return [event(item, 'refused', record.message, now)];
    default:
      return previous?.state === record.state
        ? []
        : [event(item, 'synced', record.message, now)];
  }
}

function event(
  item: WorkItem,
  type: SyncEvent['type'],
  message: string | undefined,
  createdAt: Date,
  changedKeys?: string[],
): SyncEvent {
  return {
    entityRef: item.entityRef,
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    name: item.name,
    type,
    message,
    changedKeys:
      changedKeys && changedKeys.length > 0 ? changedKeys : undefined,
    createdAt,
  };
}

function describeIssues(issues: ValidationIssue[]): string {
  const relevant = issues.filter(i => i.severity !== 'warning');
  return (relevant.length > 0 ? relevant : issues)
    .map(i => i.message)
    .join('; ');
}

function targetNameOf(raw: unknown): string | undefined {
  const spec = (raw as { spec?: { target?: { name?: unknown } } })?.spec;
  return typeof spec?.target?.name === 'string' ? spec.target.name : undefined;
}
