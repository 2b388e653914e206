/**
 * Shapes of the `/api/external-secrets` REST API (the OpenAPI document in the
 * backend package describes the same). They carry key NAMES, references,
 * versions, hashes and timestamps: never a secret value. Dates are ISO strings.
 */

/**
 * The sync state of one ExternalSecret as the API reports it.
 *
 * @public
 */
export type ExternalSecretState =
  | 'Synced'
  | 'Error'
  | 'Pending'
  | 'NotFound'
  | 'Unsupported';

/**
 * The sync state of one Secret key.
 *
 * @public
 */
export type KeyMappingState =
  | 'synced'
  | 'error'
  | 'unsupported'
  | 'pending'
  | 'removed';

/**
 * The store an ExternalSecret reads from.
 *
 * @public
 */
export type StoreRefDto = { kind: string; name: string };

/** One key mapping: `secretKey ← store:remoteKey[.property]`. @public */
export type KeyMappingDto = {
  source: string;
  secretKey?: string;
  remoteKey?: string;
  property?: string;
  store?: StoreRefDto;
  state: KeyMappingState;
  reason?: string;
  message?: string;
  errorType?: string;
  remoteVersion?: string;
};

/** A workload that reads the target Secret, and whether its pods run its current data. @public */
export type SecretConsumerDto = {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';
  name: string;
  /** How it reads the Secret. */
  reads: ('env' | 'envFrom' | 'volume' | 'projected' | 'subPath')[];
  containers: string[];
  /** restart: env/subPath/init containers; in-place: mounted volume; next-run: CronJob. */
  updates: 'restart' | 'in-place' | 'next-run';
  verdict:
    | 'current'
    | 'restart-needed'
    | 'restarting'
    | 'updates-in-place'
    | 'next-run'
    | 'no-pods'
    | 'unknown';
  /** Running pods. */
  pods: number;
  /** Running pods that started before the Secret's last data change. */
  stalePods: number;
  /** A paused Deployment: never restarted on change. */
  paused: boolean;
  /** A StatefulSet/DaemonSet whose pods roll only when deleted: "restart" means deleting its pods. */
  updateStrategy?: 'OnDelete';
  /** The annotation that opted it into a restart on change. */
  restartOn?: string;
  lastRestart?: { at: string; by: 'on-change' | 'restart-now' };
};

/** The workloads reading an ExternalSecret's target Secret (clusters with `rollout` on). @public */
export type RolloutDto = {
  mode: 'observe' | 'restart';
  consumers: SecretConsumerDto[];
  error?: string;
};

/**
 * One ExternalSecret of an entity with its state, keys, events and consumers (never values).
 *
 * @public
 */
export type ExternalSecretStatusDto = {
  cluster: string;
  namespace: string;
  name: string;
  origin: 'cluster' | 'manifest';
  mode: 'reconcile' | 'observe';
  store?: StoreRefDto;
  targetSecret: string;
  refreshInterval?: string;
  refreshPolicy?: string;
  creationPolicy?: string;
  deletionPolicy?: string;
  state: ExternalSecretState;
  reason?: string;
  message?: string;
  lastAttemptAt?: string;
  lastSyncAt?: string;
  nextDueAt?: string;
  keys: KeyMappingDto[];
  /** When the target Secret's data last changed. */
  dataChangedAt?: string;
  rollout?: RolloutDto;
};

/** "Restart now" for one workload reading an ExternalSecret's target Secret. @public */
export type RestartRequest = {
  cluster: string;
  namespace: string;
  /** The ExternalSecret. */
  name: string;
  workloadKind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  workload: string;
};

/**
 * The answer to a "Restart now" request.
 *
 * @public
 */
export type RestartResponse = {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workload: string;
  restartedAt: string;
};

/**
 * How the backend is set up, so an empty status can say why.
 * @public
 */
export type SetupDto = {
  /** Usable clusters; 0 means nothing can be found or synced. */
  clusters: number;
  /**
   * The playground (`externalSecrets.playground`) is running: a simulated
   * cluster and a store of sample values, not real services.
   */
  playground: boolean;
};

/**
 * `GET /entities/{kind}/{namespace}/{name}/status`: the entity's ExternalSecrets.
 *
 * @public
 */
export type EntityStatusResponse = {
  entityRef: string;
  externalSecrets: ExternalSecretStatusDto[];
  /** Sent by every backend that knows it; absent from older backends. */
  setup?: SetupDto;
};

/**
 * One recorded sync attempt of an ExternalSecret.
 *
 * @public
 */
export type SyncEventDto = {
  cluster: string;
  namespace: string;
  name: string;
  type: string;
  message?: string;
  changedKeys?: string[];
  createdAt: string;
};

/**
 * `GET /entities/{kind}/{namespace}/{name}/events`: recent sync events, newest first.
 *
 * @public
 */
export type EntityEventsResponse = {
  entityRef: string;
  events: SyncEventDto[];
};

/**
 * The body of a "Sync now" request: all of the entity's ExternalSecrets, or one.
 *
 * @public
 */
export type SyncRequest = {
  /** Limit the sync to one ExternalSecret; all of the entity's when absent. */
  cluster?: string;
  namespace?: string;
  name?: string;
};

/**
 * The answer to a "Sync now" request.
 *
 * @public
 */
export type SyncResponse = {
  requested: {
    cluster: string;
    namespace: string;
    name: string;
    how: 'force-sync-annotation' | 'scheduled';
  }[];
};

/**
 * One store with its Ready state and last validation.
 *
 * @public
 */
export type StoreStatusDto = {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  provider?: string;
  origin: 'config' | 'cluster';
  ready: boolean;
  reason?: string;
  message?: string;
  lastValidatedAt?: string;
};

/**
 * `GET /stores`: every store the caller may see.
 *
 * @public
 */
export type StoresResponse = {
  stores: StoreStatusDto[];
  /** Sent by every backend that knows it; absent from older backends. */
  setup?: SetupDto;
};

/**
 * `GET /stores/{cluster}/{kind}/{namespace}/{name}/keys`: the remote key NAMES a
 * store can read, for pickers and scaffolder checks. Never values.
 * `namespace` is `-` for cluster-scoped stores (ClusterSecretStore, config stores).
 * @public
 */
export type StoreKeysResponse = {
  store: { cluster: string; kind: string; namespace: string; name: string };
  /**
   * Sorted, unique names exactly as `data[].remoteRef.key` reads them: every
   * key the reconciler can read through the store (for Infisical, every
   * folder: `NAME` in `secretsPath`, `/folder/NAME` elsewhere).
   */
  keys: string[];
  /** True when the store holds more keys than the response carries (the cap). */
  truncated: boolean;
  /**
   * True only when `keys` is every key the store can read. A key outside a
   * complete list is a likely typo; outside an incomplete one, unknown.
   */
  complete: boolean;
  /** Why the list is not complete, and that other keys can still be typed. */
  message?: string;
};

/**
 * The body of `POST /stores/{cluster}/{kind}/{namespace}/{name}/keys/check`:
 * remote keys as `remoteRef.key` writes them, and `remoteRef.property` paths
 * to resolve in their values as a sync does.
 * @public
 */
export type StoreKeyCheckRequest = {
  keys: string[];
  /** `version`: `remoteRef.version`; the property is resolved in that version's value. */
  properties?: { key: string; property: string; version?: string }[];
};

/**
 * `POST /stores/{cluster}/{kind}/{namespace}/{name}/keys/check`: whether the
 * reconciler can read each remote key through the store, resolved as a sync
 * resolves it. Names only, never values.
 * @public
 */
export type StoreKeyCheckResponse = {
  store: { cluster: string; kind: string; namespace: string; name: string };
  /** One per key asked, in the order asked, then one per property asked. */
  results: {
    key: string;
    /** The `remoteRef.property` checked, for a result of `properties`. */
    property?: string;
    /** The `remoteRef.version` the property was resolved in, when asked with one. */
    version?: string;
    /** The reconciler reads this key (and its property, if any) through the store today. */
    readable: boolean;
    /** Why it cannot be read (the provider's cause, free of values). */
    message?: string;
    /** Existing key names nearest to it, as `remoteRef.key` takes them. */
    suggestions: string[];
  }[];
};

/**
 * `GET /overview`: counts by state across the catalog and the failing mappings.
 *
 * @public
 */
export type OverviewResponse = {
  counts: Record<ExternalSecretState, number>;
  failing: { entityRef: string; externalSecret: ExternalSecretStatusDto }[];
};
