import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ExternalSecretFind,
  SecretKeySelector,
  SecretStore,
  SecretStoreConditionReason,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { SecretValue } from '../values/SecretValue';

/**
 * One remote secret as the provider returns it: the raw value (before
 * `property`, decoding or templating, which the reconcile core applies the same
 * way for every provider) and its metadata.
 *
 * @public
 */
export type RemoteSecret = {
  value: SecretValue;
  /** Provider-side version, when the provider has one. */
  version?: string;
  /** Provider-side location where it was found, e.g. `/app/db` for Infisical. */
  path?: string;
};

/**
 * What a provider can do. The reconciler and the validator use this to reject
 * ExternalSecrets that ask for more, with a clear "not supported by <provider>".
 *
 * @public
 */
export type ProviderCapabilities = {
  /** `readScope()` is implemented: one call returns every secret of the store's scope. */
  readScope: boolean;
  /** `remoteRef.version` can be honoured. */
  versions: boolean;
  find: { path: boolean; nameRegexp: boolean; tags: boolean };
};

/**
 * The outcome of validating a store: Ready or not, ESO's condition reason, and a message.
 *
 * @public
 */
export type StoreValidationResult = {
  /** Ready=True: the store is usable. */
  ready: boolean;
  reason: SecretStoreConditionReason;
  /** Names the cause (field, HTTP status, request id) and never a credential. */
  message: string;
};

/**
 * Who controls a store, which decides what the backend may lend it.
 * `admin`: declared in app-config, or a ClusterSecretStore (cluster-scoped, so
 * only cluster admins create one). `namespaced`: a SecretStore CR, controlled by
 * anyone Kubernetes RBAC lets create one in its namespace.
 *
 * @public
 */
export type StoreScope = 'admin' | 'namespaced';

/**
 * What a provider may ask of its surroundings. The backend implements it with the
 * cluster client; tests with plain objects.
 *
 * @public
 */
export type StoreContext = {
  /**
   * Who controls the store. A provider lends backend-wide capabilities (the
   * backend pod's own service-account token, say) to `admin` stores only:
   * a `namespaced` store gets nothing its namespace does not already hold.
   */
  storeScope: StoreScope;
  /**
   * Namespace used for references without one: a SecretStore's own namespace, or
   * the ExternalSecret's namespace for a ClusterSecretStore.
   */
  namespace?: string;
  /** Reads one key of a Kubernetes Secret (credentials referenced by the store). */
  readSecretKey(ref: SecretKeySelector): Promise<SecretValue>;
  /** Reads one key of a ConfigMap (e.g. a CA bundle). */
  readConfigMapKey(ref: SecretKeySelector): Promise<string>;
  logger: LoggerService;
  signal?: AbortSignal;
  /**
   * Set for stores a tenant controls (namespaced SecretStores): a provider
   * that opens connections must check EVERY address it connects to with it,
   * when the connection is opened (e.g. in the socket's `lookup`, and for IP
   * literals before connecting), so DNS rebinding between a check and the
   * connect cannot slip past; and it must not follow redirects. Undefined for
   * admin stores (app-config, ClusterSecretStores), which may reach any address.
   */
  addressGuard?: AddressGuard;
};

/**
 * The backend's SSRF guard at connection time (see StoreContext.addressGuard).
 *
 * @public
 */
export type AddressGuard = {
  /**
   * Why `address` (an IP that `hostname` resolved to, or `hostname` itself
   * when it is an IP literal) must not be contacted; undefined when it may.
   * The text names the host, the address and the config key that allows it.
   */
  refusal(hostname: string, address: string): string | undefined;
};

/**
 * The key names a store can read (`SecretsClient.listKeyNames`). Names only,
 * never values.
 *
 * @public
 */
export type KeyNameListing = {
  /** Unique names, each exactly as a `remoteRef.key` reads it. */
  keys: string[];
  /**
   * True only when `keys` holds every key the reconciler can read through the
   * store; a picker may then treat a key outside the list as a likely typo.
   */
  complete: boolean;
  /** Why the listing is not complete, and what a user can still type. */
  incompleteReason?: string;
};

/**
 * A connection to one store for ONE reconcile cycle. Reads within one client may be
 * served from a single scope snapshot: the reconciler creates one client per
 * store (and identity) per cycle and closes it at the end. Failures are thrown
 * as `ProviderError`s carrying the real cause.
 *
 * @public
 */
export interface SecretsClient {
  /** The raw value of one key (`data[].remoteRef` and `dataFrom[].extract`). */
  getSecret(ref: { key: string; version?: string }): Promise<RemoteSecret>;
  /** Every secret matching `dataFrom[].find`, keyed by the name ESO would use. */
  findSecrets(find: ExternalSecretFind): Promise<Map<string, RemoteSecret>>;
  /** Every secret of the store's scope in one call (see capabilities.readScope). */
  readScope?(): Promise<Map<string, RemoteSecret>>;
  /**
   * The NAMES of the keys the reconciler can read through this store, as
   * `data[].remoteRef.key` takes them (for pickers and scaffolder checks),
   * and whether that is all of them. Optional: the backend falls back to
   * `readScope()` and drops the values at once. Implementations should not
   * keep values around for this call.
   */
  listKeyNames?(): Promise<KeyNameListing>;
  /** Ends the cycle's use of the client (does NOT revoke cached tokens). */
  close(): Promise<void>;
}

/**
 * A secrets backend, registered on `externalSecretsProvidersExtensionPoint`.
 * `name` is the key under `spec.provider` (`infisical`, `fake`, ...).
 *
 * @public
 */
export interface SecretsProvider {
  /** The ESO provider name this provider serves, e.g. `infisical` for `spec.provider.infisical`. */
  readonly name: string;
  /** What the reconciler may ask of this provider. */
  readonly capabilities: ProviderCapabilities;
  /** Static checks of `spec.provider.<name>`, no I/O. Issues name the field path. */
  validateStoreSpec(store: SecretStore): ValidationIssue[];
  /** Connects and checks access: Ready/Valid, or InvalidProviderConfig with the cause. */
  validateStore(
    store: SecretStore,
    context: StoreContext,
  ): Promise<StoreValidationResult>;
  /** A client for one store, with that store's own identity and caches. */
  newClient(store: SecretStore, context: StoreContext): Promise<SecretsClient>;
  /**
   * Whether a change notification (an Infisical `secrets.modified` webhook,
   * say) concerns this store's scope. Without it, every change of the
   * provider concerns every store of the provider.
   */
  changeAffectsStore?(store: SecretStore, change: ProviderChange): boolean;
  /**
   * The URLs this provider would contact for `store` (no I/O), e.g. the
   * Infisical `hostAPI`; an empty list when it contacts nothing (the `fake`
   * provider). The backend checks them against the admin's host allow-list
   * before it validates or reads a namespaced SecretStore; a provider without
   * this method may serve namespaced SecretStores only when every host is allowed.
   */
  endpoints?(store: SecretStore): string[];
  /** Called once when the backend stops: revoke cached tokens, close agents. */
  shutdown?(): Promise<void>;
}

/**
 * A provider's notice that secrets changed, as a webhook delivered it: no
 * values, only where (project, environment, path in Infisical's terms).
 *
 * @public
 */
export type ProviderChange = {
  provider: string;
  scope: Record<string, string>;
};
