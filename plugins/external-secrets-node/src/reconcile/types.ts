import type {
  Condition,
  ExternalSecretConditionReason,
  ExternalSecretFind,
  OwnerReference,
  ParsedExternalSecret,
  SecretStoreRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type {
  ProviderError,
  ProviderErrorType,
} from '../provider/ProviderError';
import type { RemoteSecret } from '../provider/types';
import type { SecretValue } from '../values/SecretValue';

/**
 * What one read asks of a store: one key (`data[]` and `dataFrom[].extract`;
 * the core applies `property`, JSON extraction and decoding itself) or a
 * `dataFrom[].find` query.
 *
 * @public
 */
export type ReadOperation =
  | { kind: 'get'; key: string; version?: string }
  | { kind: 'find'; find: ExternalSecretFind };

/**
 * One provider read planned by `planReads`.
 *
 * @public
 */
export type ReadRequest = {
  /** `data[<i>]` or `dataFrom[<i>]`, with the index of the entry in the manifest. */
  id: string;
  /** The entry's `sourceRef.storeRef`, else `spec.secretStoreRef`. */
  storeRef: SecretStoreRef;
  operation: ReadOperation;
};

/**
 * The result of one `ReadRequest`, keyed by its `id` in `ReconcileInput.reads`:
 * `secret` answers a `get`, `secrets` answers a `find`.
 *
 * @public
 */
export type ReadOutcome =
  | { ok: true; secret: RemoteSecret }
  | { ok: true; secrets: Map<string, RemoteSecret> }
  | { ok: false; error: ProviderError };

/**
 * A store's readiness as the reconciler saw it this cycle.
 *
 * @public
 */
export type StoreReadiness = { ready: boolean; message: string };

/**
 * The target Secret as it is in the cluster (`undefined` = absent).
 *
 * @public
 */
export type CurrentSecret = {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    resourceVersion?: string;
    finalizers?: string[];
    /** Set while the Secret is being deleted (no finalizer is added then). */
    deletionTimestamp?: string;
  };
  type?: string;
  immutable?: boolean;
  data: Record<string, SecretValue>;
};

/**
 * The Secret the reconciler should write (create or replace): complete data,
 * labels and annotations, with foreign labels/annotations of an existing Secret kept.
 *
 * @public
 */
export type DesiredSecret = {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    ownerReferences?: OwnerReference[];
    /** The Secret's finalizers and `template.metadata.finalizers` (ESO never removes one). */
    finalizers?: string[];
  };
  type: string;
  immutable: boolean;
  data: Record<string, SecretValue>;
};

/**
 * State of one Secret key (or of one entry that produced no key):
 * `synced` written from fresh data; `error` not updated (the current value, if
 * any, is kept); `unsupported` asks for something we do not implement;
 * `pending` not read this cycle; `removed` deleted because the provider proved
 * the remote key is gone (deletionPolicy Merge/Delete).
 *
 * @public
 */
export type KeyState =
  | 'synced'
  | 'error'
  | 'unsupported'
  | 'pending'
  | 'removed';

/**
 * Why a key is in its state.
 *
 * @public
 */
export type KeyStatusReason =
  | 'Synced'
  | 'EmptyResult'
  | 'ProviderError'
  | 'StoreNotReady'
  | 'NoStore'
  | 'NotRead'
  | 'RemoteKeyGone'
  | 'RemoteKeyNotFound'
  | 'PropertyNotFound'
  | 'NotJson'
  | 'DecodeFailed'
  | 'RewriteFailed'
  | 'InvalidKey'
  | 'DuplicateKey'
  | 'InvalidEntry'
  | 'Unsupported'
  | 'TemplateError'
  | 'InputUnavailable'
  | 'NotWritten'
  | 'Overridden'
  | 'NullBytes';

/**
 * Status of one key of the target Secret: names and locations only, never a value.
 *
 * @public
 */
export type KeyStatus = {
  /** The key in the target Secret; absent when an entry failed before producing keys. */
  secretKey?: string;
  /** `data[0]`, `dataFrom[1]` or `template.data[<key>]`. */
  source: string;
  /** Absent only for keys rendered by `target.template`. */
  storeRef?: SecretStoreRef;
  /** The remote key as written in the ExternalSecret (or the name `find` returned). */
  remoteKey?: string;
  /** `remoteRef.property`, or the JSON field an `extract` key came from. */
  property?: string;
  state: KeyState;
  reason: KeyStatusReason;
  /** Human text naming the cause and what to do; never a secret value. */
  message?: string;
  remoteVersion?: string;
  errorType?: ProviderErrorType;
};

/**
 * `create`/`update`: write `desired`; `delete`: delete the target Secret;
 * `none`: write nothing; `refuse`: the target belongs to another controller;
 * `wait`: creationPolicy Merge and the Secret does not exist yet.
 *
 * @public
 */
export type ReconcileAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'none'
  | 'refuse'
  | 'wait';

/**
 * One ConfigMap or Secret that `templateFrom` names, as the reconciler read it
 * from the ExternalSecret's namespace: its data, or why it could not be read.
 *
 * @public
 */
export type TemplateSource<T> =
  | { ok: true; data: Record<string, T> }
  | { ok: false; error: string };

/**
 * The `templateFrom[].configMap` / `.secret` objects, by name (see
 * `templateSourceRefs`). The core renders them; it never reads anything.
 *
 * @public
 */
export type TemplateSources = {
  configMaps: Map<string, TemplateSource<string>>;
  secrets: Map<string, TemplateSource<SecretValue>>;
};

/**
 * Input of `reconcileExternalSecret`.
 *
 * @public
 */
export type ReconcileInput = {
  parsed: ParsedExternalSecret;
  /** Outcomes of the `planReads` requests, by request id. */
  reads: Map<string, ReadOutcome>;
  /** Store readiness by `Kind/name` (see `storeRefKey`). */
  storeStatus?: Map<string, StoreReadiness>;
  current?: CurrentSecret;
  now: Date;
  /** The ConfigMaps and Secrets `templateFrom` names; one that is absent fails the ExternalSecret. */
  templateSources?: TemplateSources;
};

/**
 * What to do with the target Secret, and the status to report.
 *
 * @public
 */
export type ReconcileResult = {
  action: ReconcileAction;
  /** For create/update (and none when a Secret would be written unchanged). */
  desired?: DesiredSecret;
  /** The data-hash of `desired.data`. */
  dataHash?: string;
  keys: KeyStatus[];
  /** `Ready` condition; `lastTransitionTime` is `now`: keep the old one when status and reason did not change. */
  condition: Condition<ExternalSecretConditionReason>;
  /** Keys added or changed by this write (names only). */
  changedKeys: string[];
  /** Keys this write removes from the current Secret (names only). */
  removedKeys: string[];
};
