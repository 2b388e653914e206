import type { Knex } from 'knex';
import {
  ExternalSecretId,
  ExternalSecretRecord,
  ExternalSecretState,
  KeyStatusRecord,
  RolloutRecord,
} from './StatusStore';

/** Row shapes of the status tables and their conversion to and from records. */

export type RawExternalSecretRow = {
  id: number;
  entity_ref: string;
  cluster: string;
  namespace: string;
  name: string;
  origin: string;
  mode: string;
  store_kind: string | null;
  store_name: string | null;
  target_secret: string;
  refresh_interval: string | null;
  refresh_policy: string | null;
  creation_policy: string | null;
  deletion_policy: string | null;
  state: string;
  reason: string | null;
  message: string | null;
  data_hash: string | null;
  synced_resource_version: string | null;
  attempted_resource_version: string | null;
  uid: string | null;
  written_metadata: string | null;
  data_changed_at?: Date | string | null;
  rollout?: string | null;
  last_attempt_at: Date | string | null;
  last_success_at: Date | string | null;
  next_due_at: Date | string | null;
  sync_requested_at: Date | string | null;
  consecutive_failures: number;
  updated_at: Date | string;
};

export type RawKeyRow = {
  id: number;
  external_secret_id: number;
  source: string;
  secret_key: string | null;
  remote_key: string | null;
  property: string | null;
  store_kind: string | null;
  store_name: string | null;
  state: string;
  reason: string | null;
  message: string | null;
  error_type: string | null;
  remote_version: string | null;
};

/** Key columns in the order `listByEntity` packs them into a JSON array per key. */
const PACKED_KEY_COLUMNS = [
  'source',
  'secret_key',
  'remote_key',
  'property',
  'store_kind',
  'store_name',
  'state',
  'reason',
  'message',
  'error_type',
  'remote_version',
] as const;

export type PackedKey = (string | null)[];

/**
 * The key rows of `es` as one JSON array of arrays, in id order, on
 * PostgreSQL; undefined elsewhere. On SQLite (in-process, no round trips) two
 * prepared statements cost less CPU than the JSON functions.
 */
export function keysAsJson(db: Knex): Knex.Raw | undefined {
  if (String(db.client.config.client) !== 'pg') return undefined;
  const columns = PACKED_KEY_COLUMNS.map(c => `k.${c}`).join(', ');
  return db.raw(
    `coalesce((select json_agg(json_build_array(${columns}) order by k.id) from es_keys k where k.external_secret_id = es.id), '[]'::json) as keys_json`,
  );
}

export function unpackKey(packed: PackedKey): RawKeyRow {
  const row: Record<string, unknown> = {};
  PACKED_KEY_COLUMNS.forEach((column, i) => {
    row[column] = packed[i];
  });
  return row as RawKeyRow;
}

export function idFilter(id: ExternalSecretId) {
  return { cluster: id.cluster, namespace: id.namespace, name: id.name };
}

/** Joins claims (`c`) to the rows of `table` for the same ExternalSecret. */
export function onSameExternalSecret(table: string) {
  return function on(this: Knex.JoinClause) {
    this.on('c.cluster', `${table}.cluster`)
      .andOn('c.namespace', `${table}.namespace`)
      .andOn('c.name', `${table}.name`);
  };
}

export function toDate(value: Date | string | number | null | undefined) {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value : new Date(value);
}

export function toExternalSecretRow(record: ExternalSecretRecord) {
  return {
    entity_ref: record.entityRef,
    cluster: record.cluster,
    namespace: record.namespace,
    name: record.name,
    origin: record.origin,
    mode: record.mode,
    store_kind: record.storeKind ?? null,
    store_name: record.storeName ?? null,
    target_secret: record.targetSecret,
    refresh_interval: record.refreshInterval ?? null,
    refresh_policy: record.refreshPolicy ?? null,
    creation_policy: record.creationPolicy ?? null,
    deletion_policy: record.deletionPolicy ?? null,
    state: record.state,
    reason: record.reason ?? null,
    message: record.message ?? null,
    data_hash: record.dataHash ?? null,
    synced_resource_version: record.syncedResourceVersion ?? null,
    attempted_resource_version: record.attemptedResourceVersion ?? null,
    uid: record.uid ?? null,
    written_metadata: record.writtenMetadata
      ? JSON.stringify(record.writtenMetadata)
      : null,
    last_attempt_at: record.lastAttemptAt?.toISOString() ?? null,
    last_success_at: record.lastSuccessAt?.toISOString() ?? null,
    next_due_at: record.nextDueAt?.toISOString() ?? null,
    sync_requested_at: record.syncRequestedAt?.toISOString() ?? null,
    consecutive_failures: record.consecutiveFailures,
    // `rollout` is written by saveRollout alone: a sync never clears it.
    data_changed_at: record.dataChangedAt?.toISOString() ?? null,
    updated_at: new Date().toISOString(),
  };
}

export function fromExternalSecretRow(
  row: RawExternalSecretRow,
  keys: KeyStatusRecord[],
): ExternalSecretRecord {
  return {
    entityRef: row.entity_ref,
    cluster: row.cluster,
    namespace: row.namespace,
    name: row.name,
    origin: row.origin as ExternalSecretRecord['origin'],
    mode: row.mode as ExternalSecretRecord['mode'],
    storeKind: row.store_kind ?? undefined,
    storeName: row.store_name ?? undefined,
    targetSecret: row.target_secret,
    refreshInterval: row.refresh_interval ?? undefined,
    refreshPolicy: row.refresh_policy ?? undefined,
    creationPolicy: row.creation_policy ?? undefined,
    deletionPolicy: row.deletion_policy ?? undefined,
    state: row.state as ExternalSecretState,
    reason: row.reason ?? undefined,
    message: row.message ?? undefined,
    dataHash: row.data_hash ?? undefined,
    syncedResourceVersion: row.synced_resource_version ?? undefined,
    attemptedResourceVersion: row.attempted_resource_version ?? undefined,
    uid: row.uid ?? undefined,
    writtenMetadata: parseWrittenMetadata(row.written_metadata),
    lastAttemptAt: toDate(row.last_attempt_at),
    lastSuccessAt: toDate(row.last_success_at),
    nextDueAt: toDate(row.next_due_at),
    syncRequestedAt: toDate(row.sync_requested_at),
    consecutiveFailures: Number(row.consecutive_failures),
    keys,
    dataChangedAt: toDate(row.data_changed_at),
    rollout: parseRollout(row.rollout),
  };
}

export function toKeyRow(externalSecretId: number, key: KeyStatusRecord) {
  return {
    external_secret_id: externalSecretId,
    source: key.source,
    secret_key: key.secretKey ?? null,
    remote_key: key.remoteKey ?? null,
    property: key.property ?? null,
    store_kind: key.storeKind ?? null,
    store_name: key.storeName ?? null,
    state: key.state,
    reason: key.reason ?? null,
    message: key.message ?? null,
    error_type: key.errorType ?? null,
    remote_version: key.remoteVersion ?? null,
  };
}

export function fromKeyRow(row: RawKeyRow): KeyStatusRecord {
  return {
    source: row.source,
    secretKey: row.secret_key ?? undefined,
    remoteKey: row.remote_key ?? undefined,
    property: row.property ?? undefined,
    storeKind: row.store_kind ?? undefined,
    storeName: row.store_name ?? undefined,
    state: row.state as KeyStatusRecord['state'],
    reason: row.reason ?? undefined,
    message: row.message ?? undefined,
    errorType: row.error_type ?? undefined,
    remoteVersion: row.remote_version ?? undefined,
  };
}

function parseWrittenMetadata(
  raw: string | null | undefined,
): ExternalSecretRecord['writtenMetadata'] {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw);
    const names = (v: unknown) =>
      Array.isArray(v)
        ? v.filter((k): k is string => typeof k === 'string')
        : [];
    return {
      labels: names(parsed?.labels),
      annotations: names(parsed?.annotations),
    };
  } catch {
    return undefined;
  }
}

export function toRolloutColumn(rollout: RolloutRecord | undefined) {
  return rollout ? JSON.stringify(rollout) : null;
}

function parseRollout(
  raw: string | null | undefined,
): RolloutRecord | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw);
    return parsed && Array.isArray(parsed.consumers) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
