/**
 * Persistence of sync status. Holds key NAMES, references, versions, hashes and
 * timestamps only: a secret value never reaches this interface.
 */

import type { ExternalSecretState } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type {
  RestartOptIn,
  SecretUse,
  UpdateMode,
  VerdictState,
  WorkloadKind,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

export type { ExternalSecretState };

export type ExternalSecretOrigin = 'cluster' | 'manifest';
export type ClusterMode = 'reconcile' | 'observe';

/** Identity of an ExternalSecret in one cluster. */
export type ExternalSecretId = {
  cluster: string;
  namespace: string;
  name: string;
};

export type KeyStatusRecord = {
  source: string;
  secretKey?: string;
  remoteKey?: string;
  property?: string;
  storeKind?: string;
  storeName?: string;
  state: 'synced' | 'error' | 'unsupported' | 'pending' | 'removed';
  reason?: string;
  message?: string;
  errorType?: string;
  remoteVersion?: string;
};

/** An entity's status as the status route answers it: its claimed rows and their version. */
export type EntityStatusSnapshot = {
  /** See `StatusStore.entityStatusVersion`. */
  version: string;
  records: ExternalSecretRecord[];
};

export type ExternalSecretRecord = ExternalSecretId & {
  /**
   * The first entity that claims it (in entity-ref order), named in messages.
   * Every claimant sees it: ownership is not exclusive (`saveClaims`).
   */
  entityRef: string;
  origin: ExternalSecretOrigin;
  mode: ClusterMode;
  storeKind?: string;
  storeName?: string;
  targetSecret: string;
  refreshInterval?: string;
  refreshPolicy?: string;
  creationPolicy?: string;
  deletionPolicy?: string;
  state: ExternalSecretState;
  reason?: string;
  message?: string;
  dataHash?: string;
  syncedResourceVersion?: string;
  /** syncedResourceVersion of the spec last attempted: a new spec ends a failure's backoff. */
  attemptedResourceVersion?: string;
  /** metadata.uid of the CR: a recreated ExternalSecret is a new object. */
  uid?: string;
  /**
   * Label and annotation keys (names only) it last wrote on its Secret: the
   * ones it stops producing are removed, as ESO does.
   */
  writtenMetadata?: { labels: string[]; annotations: string[] };
  lastAttemptAt?: Date;
  lastSuccessAt?: Date;
  nextDueAt?: Date;
  /** Set by sync-now; the next cycle syncs when it is newer than lastAttemptAt. */
  syncRequestedAt?: Date;
  consecutiveFailures: number;
  keys: KeyStatusRecord[];
  /** When the target Secret's data-hash last changed (our write, or first seen). */
  dataChangedAt?: Date;
  /** Workloads reading the target Secret (saved by `saveRollout` only). */
  rollout?: RolloutRecord;
};

/** A restart of a consumer: by us on change, or by a user (restart now). */
export type RestartRecord = {
  at: string;
  /** The Secret data-hash it restarted for. */
  hash: string;
  by: 'on-change' | 'restart-now';
};

/**
 * A restart on change the apiserver refused: retried at later cycles until
 * one patch lands or the Secret's data changes again (a new change replaces
 * it). Hashes, key NAMES and the error, never values.
 */
export type PendingRestartRecord = {
  /** The Secret data-hash to restart for. */
  hash: string;
  previousHash: string;
  changedKeys: string[];
  /** Reloader's `match` / `ignore` on the Secret as written (its opt-in). */
  secretAnnotations: Record<string, string>;
  /** Patches tried so far (each audited). */
  attempts: number;
  lastAttemptAt: string;
  /** The last refusal was a 403: retried less often (RBAC is fixed by a person). */
  forbidden: boolean;
  error: string;
};

/** A workload that reads the target Secret, and whether its pods run the current data. */
export type ConsumerRecord = {
  kind: WorkloadKind;
  name: string;
  /** How it reads the Secret: `env`, `envFrom`, `volume`, `projected`, `subPath`. */
  reads: (SecretUse['via'] | 'subPath')[];
  containers: string[];
  updates: UpdateMode;
  verdict: VerdictState;
  pods: number;
  stalePods: number;
  paused: boolean;
  /** A StatefulSet/DaemonSet whose pods roll only when deleted. */
  updateStrategy?: 'OnDelete';
  /** The annotation that opted it into a restart on change. */
  restartOn?: RestartOptIn;
  lastRestart?: RestartRecord;
  /** A restart on change that has not landed yet (never in the API answer). */
  pendingRestart?: PendingRestartRecord;
};

/** What the rollout step found for the target Secret in its last cycle. */
export type RolloutRecord = {
  mode: 'observe' | 'restart';
  consumers: ConsumerRecord[];
  /** Why the workloads could not (all) be listed, e.g. RBAC. */
  error?: string;
};

/** The entities that claim one ExternalSecret. */
export type ExternalSecretClaims = ExternalSecretId & { claimants: string[] };

export type SyncEventType =
  | 'synced'
  | 'created'
  | 'updated'
  | 'deleted'
  | 'error'
  | 'refused'
  | 'sync-requested';

export type SyncEvent = ExternalSecretId & {
  /** The ExternalSecret's first claimant; every claimant sees the event. */
  entityRef: string;
  type: SyncEventType;
  message?: string;
  changedKeys?: string[];
  createdAt: Date;
};

/** What a cycle saves about one ExternalSecret it handled. */
export type SyncResultSave = {
  record: ExternalSecretRecord;
  /** Replaces its claimants (see saveExternalSecret); absent: kept. */
  claimants?: string[];
  events: SyncEvent[];
};

export type StoreStatusRecord = {
  /** '' for stores declared in app-config. */
  cluster: string;
  kind: 'SecretStore' | 'ClusterSecretStore';
  /** '' for ClusterSecretStores. */
  namespace: string;
  name: string;
  provider?: string;
  origin: 'config' | 'cluster';
  ready: boolean;
  reason?: string;
  message?: string;
  lastValidatedAt?: Date;
};

export type StateCounts = Record<ExternalSecretState, number>;

/** A provider's change notification (webhook), waiting for the next cycle. */
export type ProviderChangeRecord = {
  id: number;
  provider: string;
  /** What changed, in the provider's terms (project, environment, path). */
  scope: Record<string, string>;
  receivedAt: Date;
};

export interface StatusStore {
  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;
  /**
   * Writes the ExternalSecret's row and replaces its key rows, atomically. The
   * record's entityRef always claims it; `claimants`, when given, replaces the
   * entities that claim it in the same transaction (see {@link saveClaims}).
   */
  saveExternalSecret(
    record: ExternalSecretRecord,
    claimants?: string[],
  ): Promise<void>;
  /**
   * A cycle's group commit: each entry saved as {@link saveExternalSecret}
   * saves it (the last of an ExternalSecret wins) and its events added as
   * {@link addEvent} adds them, all in one transaction of a few statements.
   */
  saveSyncResults(
    entries: SyncResultSave[],
    keepEventsPerExternalSecret?: number,
  ): Promise<void>;
  getExternalSecret(
    id: ExternalSecretId,
  ): Promise<ExternalSecretRecord | undefined>;
  /** The ExternalSecrets the entity claims, whichever entity claimed them first. */
  listByEntity(entityRef: string): Promise<ExternalSecretRecord[]>;
  /**
   * An opaque marker that changes whenever `listByEntity(entityRef)` would
   * answer differently: every write of a row bumps its `updated_at`, and
   * claims or deletions change the set of row ids. Read from the database, so
   * a change recorded by any replica shows. Carries no status field.
   */
  entityStatusVersion(entityRef: string): Promise<string>;
  /**
   * `listByEntity` and `entityStatusVersion` of several entities in one query
   * (the status route batches concurrent requests); every asked entity is in
   * the answer, with no records when it claims none.
   */
  readEntityStatuses(
    entityRefs: string[],
  ): Promise<Map<string, EntityStatusSnapshot>>;
  /** `entityStatusVersion` of several entities in one query. */
  entityStatusVersions(entityRefs: string[]): Promise<Map<string, string>>;
  /** Every row, without keys: what the reconciler needs to decide what is due. */
  listAll(): Promise<ExternalSecretRecord[]>;
  /** Removes rows of ExternalSecrets that no longer exist (entity or CR gone), with their claims and events. */
  deleteExternalSecrets(ids: ExternalSecretId[]): Promise<void>;

  /**
   * Replaces the entities that claim an ExternalSecret (each sees its status
   * and events and may sync it). The first becomes the row's entityRef.
   */
  saveClaims(id: ExternalSecretId, claimants: string[]): Promise<void>;
  /** Every ExternalSecret's claimants, in no particular order. */
  listClaims(): Promise<ExternalSecretClaims[]>;

  /** Replaces the rollout findings of an ExternalSecret (undefined clears them). */
  saveRollout(
    id: ExternalSecretId,
    rollout: RolloutRecord | undefined,
  ): Promise<void>;

  /** Marks ExternalSecrets for an immediate sync (sync-now of declared manifests). */
  requestSync(ids: ExternalSecretId[], at: Date): Promise<void>;
  /**
   * Moves `lastAttemptAt` of rows a cycle attempted without a change to save
   * (observe mode looks at every ExternalSecret every cycle), and their
   * update time so the status ETag changes: one statement per
   * ATTEMPTED_BATCH rows, instead of a row save each.
   */
  markAttempted(ids: ExternalSecretId[], at: Date): Promise<void>;
  /** Whether a sync was requested in the cluster and not attempted since. */
  hasPendingSyncRequest(cluster: string): Promise<boolean>;
  /**
   * Counts one request against `bucket` (e.g. `sync-now:<entity ref>`) and
   * tells whether it fits in the budget of `max` per fixed window of
   * `windowMs` (at most an hour). Checked and counted by one atomic statement
   * in the database, so the limit holds across replicas.
   */
  takeRateBudget(
    bucket: string,
    now: Date,
    max: number,
    windowMs: number,
  ): Promise<boolean>;
  /** When the bucket's current window ends: a refused caller may retry then. */
  rateWindowEndsAt(bucket: string, windowMs: number): Promise<Date | undefined>;

  /** Appends an event and keeps at most `keepPerExternalSecret` per ExternalSecret. */
  addEvent(event: SyncEvent, keepPerExternalSecret?: number): Promise<void>;
  /** Events of the ExternalSecrets the entity claims, newest first. */
  listEvents(entityRef: string, limit: number): Promise<SyncEvent[]>;

  saveStore(record: StoreStatusRecord): Promise<void>;
  listStores(): Promise<StoreStatusRecord[]>;

  /**
   * Queues a provider change notification for the next cycle (any replica).
   * A pending change of the same scope is replaced (`coalesced`); once the
   * provider has `maxQueued` pending changes they all become one change of
   * every scope (`merged`), so a flood cannot grow the queue.
   */
  addProviderChange(
    change: Omit<ProviderChangeRecord, 'id'>,
    maxQueued: number,
  ): Promise<'queued' | 'coalesced' | 'merged'>;
  /**
   * Remembers a webhook delivery's signature until `expiresAt` (atomic
   * insert-if-absent, shared by all replicas); false when it was already
   * there, i.e. the delivery is a replay. Forgets expired ones on the way.
   */
  rememberWebhookDelivery(
    signature: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean>;
  /** The queued notifications, oldest first. */
  listProviderChanges(): Promise<ProviderChangeRecord[]>;
  /** Drops the notifications a finished cycle has acted on. */
  deleteProviderChanges(upToId: number): Promise<void>;

  /** Counts by state across the catalog, and the rows failing longest. */
  overview(worstLimit: number): Promise<{
    counts: StateCounts;
    failing: ExternalSecretRecord[];
  }>;
}
