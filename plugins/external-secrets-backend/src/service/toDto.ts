import {
  ExternalSecretStatusDto,
  RolloutDto,
  StoreStatusDto,
  SyncEventDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  ExternalSecretRecord,
  RolloutRecord,
  StoreStatusRecord,
  SyncEvent,
} from '../database/StatusStore';

/**
 * Maps stored rows to API shapes field by field (never by spreading), so no
 * column can reach a response unless it is named here.
 */
export function externalSecretToDto(
  record: ExternalSecretRecord,
): ExternalSecretStatusDto {
  return compact({
    cluster: record.cluster,
    namespace: record.namespace,
    name: record.name,
    origin: record.origin,
    mode: record.mode,
    store: storeRef(record.storeKind, record.storeName),
    targetSecret: record.targetSecret,
    refreshInterval: record.refreshInterval,
    refreshPolicy: record.refreshPolicy,
    creationPolicy: record.creationPolicy,
    deletionPolicy: record.deletionPolicy,
    state: record.state,
    reason: record.reason,
    message: record.message,
    lastAttemptAt: record.lastAttemptAt?.toISOString(),
    lastSyncAt: record.lastSuccessAt?.toISOString(),
    nextDueAt: record.nextDueAt?.toISOString(),
    keys: record.keys.map(key =>
      compact({
        source: key.source,
        secretKey: key.secretKey,
        remoteKey: key.remoteKey,
        property: key.property,
        store: storeRef(key.storeKind, key.storeName),
        state: key.state,
        reason: key.reason,
        message: key.message,
        errorType: key.errorType,
        remoteVersion: key.remoteVersion,
      }),
    ),
    dataChangedAt: record.dataChangedAt?.toISOString(),
    rollout: record.rollout && rolloutToDto(record.rollout),
  });
}

/** Names, counts and times of the workloads reading the Secret (no hash). */
function rolloutToDto(rollout: RolloutRecord): RolloutDto {
  return compact({
    mode: rollout.mode,
    error: rollout.error,
    consumers: rollout.consumers.map(c =>
      compact({
        kind: c.kind,
        name: c.name,
        reads: c.reads,
        containers: c.containers,
        updates: c.updates,
        verdict: c.verdict,
        pods: c.pods,
        stalePods: c.stalePods,
        paused: c.paused,
        updateStrategy: c.updateStrategy,
        restartOn: c.restartOn,
        lastRestart: c.lastRestart && {
          at: c.lastRestart.at,
          by: c.lastRestart.by,
        },
      }),
    ),
  });
}

export function eventToDto(event: SyncEvent): SyncEventDto {
  return compact({
    cluster: event.cluster,
    namespace: event.namespace,
    name: event.name,
    type: event.type,
    message: event.message,
    changedKeys: event.changedKeys,
    createdAt: event.createdAt.toISOString(),
  });
}

export function storeToDto(store: StoreStatusRecord): StoreStatusDto {
  return compact({
    cluster: store.cluster,
    kind: store.kind,
    namespace: store.namespace,
    name: store.name,
    provider: store.provider,
    origin: store.origin,
    ready: store.ready,
    reason: store.reason,
    message: store.message,
    lastValidatedAt: store.lastValidatedAt?.toISOString(),
  });
}

function storeRef(kind?: string, name?: string) {
  return kind && name ? { kind, name } : undefined;
}

/** Drops undefined fields so the JSON carries only what is known. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
