/**
 * Typed models of the External Secrets Operator `external-secrets.io/v1` resources
 * that this plugin family reads. They mirror ESO's Go types (apis/externalsecrets/v1)
 * field for field, with optional fields where ESO has defaults; the parser in
 * `../validation` fills the defaults so consumers never re-implement them.
 */

/**
 * The API group of the External Secrets Operator CRDs.
 *
 * @public
 */
export const ESO_GROUP = 'external-secrets.io';
/**
 * The ESO API version this plugin reads and writes (`external-secrets.io/v1`).
 *
 * @public
 */
export const ESO_API_VERSION = 'external-secrets.io/v1';
/** `v1beta1` manifests are accepted where the shape is the same as `v1`. @public */
export const ESO_API_VERSION_V1BETA1 = 'external-secrets.io/v1beta1';

/**
 * The `metadata` fields of a Kubernetes object that the plugin reads or writes.
 *
 * @public
 */
export type KubernetesObjectMeta = {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  ownerReferences?: OwnerReference[];
};

/**
 * A Kubernetes owner reference, as ESO sets on the Secrets it creates.
 *
 * @public
 */
export type OwnerReference = {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
};

/** `{name, key, namespace?}`: a key in a Kubernetes Secret. @public */
export type SecretKeySelector = {
  name: string;
  key: string;
  namespace?: string;
};

/**
 * The two store kinds of ESO.
 *
 * @public
 */
export type StoreKind = 'SecretStore' | 'ClusterSecretStore';

/**
 * `spec.secretStoreRef` of an ExternalSecret: the store it reads from.
 *
 * @public
 */
export type SecretStoreRef = {
  name: string;
  /** Default `SecretStore`. */
  kind: StoreKind;
};

/**
 * How ESO decodes a fetched value (`decodingStrategy`).
 *
 * @public
 */
export type DecodingStrategy = 'None' | 'Base64' | 'Base64URL' | 'Auto';

/**
 * `spec.data[].remoteRef`: the remote key (and property, version) one Secret key comes from.
 *
 * @public
 */
export type ExternalSecretDataRemoteRef = {
  key: string;
  property?: string;
  version?: string;
  /** Default `None`. */
  decodingStrategy: DecodingStrategy;
  /** Default `None`; `Fetch` is reported unsupported. */
  metadataPolicy?: 'None' | 'Fetch';
  /** Default `Default`. */
  conversionStrategy?: 'Default' | 'Unicode';
  /** Default `Ignore`; `Fail` fails on a fetched value with a NUL byte. */
  nullBytePolicy?: NullBytePolicy;
};

/**
 * What ESO does with a value containing a NUL byte (`nullBytePolicy`).
 *
 * @public
 */
export type NullBytePolicy = 'Ignore' | 'Fail';

/** Per-entry source: another store than `spec.secretStoreRef`. @public */
export type StoreSourceRef = {
  storeRef?: SecretStoreRef;
  /** Generators are not supported; kept so the validator can say so. */
  generatorRef?: { apiVersion?: string; kind: string; name: string };
};

/**
 * One `spec.data` entry: a Secret key and where its value comes from.
 *
 * @public
 */
export type ExternalSecretData = {
  secretKey: string;
  remoteRef: ExternalSecretDataRemoteRef;
  sourceRef?: StoreSourceRef;
};

/**
 * `spec.dataFrom[].extract`: every property of one remote key becomes a Secret key.
 *
 * @public
 */
export type ExternalSecretExtract = {
  key: string;
  property?: string;
  version?: string;
  decodingStrategy: DecodingStrategy;
  conversionStrategy?: 'Default' | 'Unicode';
  metadataPolicy?: 'None' | 'Fetch';
  nullBytePolicy?: NullBytePolicy;
};

/**
 * `spec.dataFrom[].find`: every remote key matching a path, name pattern or tags.
 *
 * @public
 */
export type ExternalSecretFind = {
  path?: string;
  name?: { regexp: string };
  tags?: Record<string, string>;
  decodingStrategy: DecodingStrategy;
  conversionStrategy?: 'Default' | 'Unicode';
  nullBytePolicy?: NullBytePolicy;
};

/**
 * `spec.dataFrom[].rewrite`: how found or extracted key names are rewritten.
 *
 * @public
 */
export type ExternalSecretRewrite = {
  regexp?: { source: string; target: string };
  /** Supported by ESO, not (yet) by us: reported `unsupported`. */
  transform?: { template: string };
  merge?: unknown;
};

/**
 * One `spec.dataFrom` entry (extract or find, with rewrites and an optional source store).
 *
 * @public
 */
export type ExternalSecretDataFromRemoteRef = {
  extract?: ExternalSecretExtract;
  find?: ExternalSecretFind;
  rewrite?: ExternalSecretRewrite[];
  sourceRef?: StoreSourceRef;
};

/**
 * `spec.target.creationPolicy`: who owns the target Secret and whether it is created.
 *
 * @public
 */
export type CreationPolicy =
  | 'Owner'
  | 'Orphan'
  | 'Merge'
  | 'None'
  | 'CreateOrMerge';
/**
 * `spec.target.deletionPolicy`: what happens to Secret keys whose remote keys are gone.
 *
 * @public
 */
export type DeletionPolicy = 'Retain' | 'Delete' | 'Merge';
/**
 * `spec.refreshPolicy`: when the ExternalSecret is synced again.
 *
 * @public
 */
export type RefreshPolicy = 'Periodic' | 'OnChange' | 'CreatedOnce';

/**
 * `spec.target.template.templateFrom[]`: template data from a ConfigMap, Secret or literal.
 *
 * @public
 */
export type TemplateFrom = {
  configMap?: {
    name: string;
    items: { key: string; templateAs?: 'Values' | 'KeysAndValues' }[];
  };
  secret?: {
    name: string;
    items: { key: string; templateAs?: 'Values' | 'KeysAndValues' }[];
  };
  literal?: string;
  /** Default `Data`; only Data, Annotations and Labels are allowed (ESO v2.5+). */
  target?: 'Data' | 'Annotations' | 'Labels';
};

/**
 * `spec.target.template`: the shape of the target Secret (type, metadata, templated data).
 *
 * @public
 */
export type ExternalSecretTemplate = {
  type?: string;
  /** Default `v2`; only `v2` is supported. */
  engineVersion: 'v1' | 'v2';
  /** Default `Replace`. */
  mergePolicy: 'Replace' | 'Merge';
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  data?: Record<string, string>;
  templateFrom?: TemplateFrom[];
};

/**
 * `spec.target`: the Secret the ExternalSecret writes and its policies.
 *
 * @public
 */
export type ExternalSecretTarget = {
  /** Defaults to the ExternalSecret's name. */
  name: string;
  /** Default `Owner`. */
  creationPolicy: CreationPolicy;
  /** Default `Retain`. */
  deletionPolicy: DeletionPolicy;
  /** Default false. */
  immutable: boolean;
  template?: ExternalSecretTemplate;
};

/**
 * The `spec` of an ExternalSecret.
 *
 * @public
 */
export type ExternalSecretSpec = {
  /** Absent only when every data/dataFrom entry names its own `sourceRef.storeRef`. */
  secretStoreRef?: SecretStoreRef;
  target: ExternalSecretTarget;
  /** Go duration text as written, default `1h`. See `parseGoDuration`. */
  refreshInterval: string;
  /** Default `Periodic`. */
  refreshPolicy: RefreshPolicy;
  data: ExternalSecretData[];
  dataFrom: ExternalSecretDataFromRemoteRef[];
};

/**
 * The status of a Kubernetes condition.
 *
 * @public
 */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * The reasons ESO sets on an ExternalSecret's `Ready` condition.
 *
 * @public
 */
export type ExternalSecretConditionReason =
  | 'SecretSynced'
  | 'SecretSyncedError'
  | 'SecretDeleted'
  | 'SecretMissing';

/**
 * A Kubernetes status condition.
 *
 * @public
 */
export type Condition<Reason extends string = string> = {
  type: 'Ready' | 'Deleted';
  status: ConditionStatus;
  reason: Reason;
  message: string;
  lastTransitionTime: string;
};

/**
 * The `status` of an ExternalSecret, as ESO writes it.
 *
 * @public
 */
export type ExternalSecretStatus = {
  refreshTime?: string;
  syncedResourceVersion?: string;
  binding?: { name: string };
  conditions?: Condition<ExternalSecretConditionReason>[];
};

/**
 * An `external-secrets.io/v1` ExternalSecret.
 *
 * @public
 */
export type ExternalSecret = {
  apiVersion: typeof ESO_API_VERSION | typeof ESO_API_VERSION_V1BETA1;
  kind: 'ExternalSecret';
  metadata: KubernetesObjectMeta;
  spec: ExternalSecretSpec;
  status?: ExternalSecretStatus;
};

/**
 * `caProvider`: a CA certificate to trust, read from a Secret or ConfigMap.
 *
 * @public
 */
export type CaProvider = {
  type: 'Secret' | 'ConfigMap';
  name: string;
  key: string;
  /** Required for ClusterSecretStore. */
  namespace?: string;
};

/**
 * `spec.provider.infisical.auth`: Universal Auth or Kubernetes Auth credentials.
 *
 * @public
 */
export type InfisicalAuth = {
  universalAuthCredentials?: {
    clientId: SecretKeySelector;
    clientSecret: SecretKeySelector;
  };
  kubernetesAuthCredentials?: {
    identityId: SecretKeySelector;
    serviceAccountTokenPath?: SecretKeySelector;
  };
  /** Names of other ESO auth kinds present in the manifest (azure, jwt, ...): reported unsupported. */
  unsupportedKinds?: string[];
};

/**
 * `spec.provider.infisical` of a SecretStore or ClusterSecretStore.
 *
 * @public
 */
export type InfisicalProviderSpec = {
  /** Default `https://app.infisical.com/api`; with or without `/api`. */
  hostAPI: string;
  caBundle?: string;
  caProvider?: CaProvider;
  auth: InfisicalAuth;
  secretsScope: {
    projectSlug: string;
    environmentSlug: string;
    organizationSlug?: string;
    /** Default `/`. */
    secretsPath: string;
    /** Default false. */
    recursive: boolean;
    /** Default true (ESO's default; Infisical's API defaults to false). */
    expandSecretReferences: boolean;
  };
};

/**
 * `spec.provider.fake`: fixed keys and values, for demos and tests.
 *
 * @public
 */
export type FakeProviderSpec = {
  data: {
    key: string;
    value?: string;
    valueMap?: Record<string, string>;
    version?: string;
  }[];
};

/** `spec.provider`: exactly one provider key. Unknown provider names are kept for the error message. @public */
export type SecretStoreProvider = {
  infisical?: InfisicalProviderSpec;
  fake?: FakeProviderSpec;
  /** Provider keys we do not implement (aws, vault, ...). */
  [other: string]: unknown;
};

/**
 * `spec.conditions[]` of a ClusterSecretStore: the namespaces that may use it.
 *
 * @public
 */
export type ClusterSecretStoreCondition = {
  namespaces?: string[];
  namespaceSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: unknown[];
  };
  namespaceRegexes?: string[];
};

/**
 * The `spec` of a SecretStore or ClusterSecretStore.
 *
 * @public
 */
export type SecretStoreSpec = {
  controller?: string;
  provider: SecretStoreProvider;
  /** Seconds between validations; ESO's default is 300. */
  refreshInterval?: number;
  retrySettings?: { maxRetries?: number; retryInterval?: string };
  conditions?: ClusterSecretStoreCondition[];
};

/**
 * The reasons ESO sets on a store's `Ready` condition.
 *
 * @public
 */
export type SecretStoreConditionReason =
  | 'Valid'
  | 'InvalidProviderConfig'
  | 'InvalidStoreConfiguration'
  | 'ValidationFailed'
  | 'ValidationUnknown'
  | 'StoreUnmaintained'
  | 'StoreDeprecated';

/**
 * An `external-secrets.io/v1` SecretStore or ClusterSecretStore.
 *
 * @public
 */
export type SecretStore = {
  apiVersion: typeof ESO_API_VERSION | typeof ESO_API_VERSION_V1BETA1;
  kind: StoreKind;
  metadata: KubernetesObjectMeta;
  spec: SecretStoreSpec;
  status?: {
    conditions?: Condition<SecretStoreConditionReason>[];
    capabilities?: string;
  };
};

/** The Kubernetes `Secret` shapes the reconcile core reads and produces. Values are base64 in `data`. @public */
export type SecretType = string;

/** Managed-Secret labels and annotations, byte-identical to ESO's. @public */
export const LABEL_MANAGED = 'reconcile.external-secrets.io/managed';
/**
 * The label ESO sets on a Secret it created: a hash of the creating ExternalSecret.
 *
 * @public
 */
export const LABEL_CREATED_BY = 'reconcile.external-secrets.io/created-by';
/**
 * The annotation ESO sets on a Secret: the hash of its data, to skip writes when nothing changed.
 *
 * @public
 */
export const ANNOTATION_DATA_HASH = 'reconcile.external-secrets.io/data-hash';
/** The documented manual trigger: `kubectl annotate es NAME force-sync=$(date +%s) --overwrite`. @public */
export const ANNOTATION_FORCE_SYNC = 'force-sync';
