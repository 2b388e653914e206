/**
 * Why a provider call failed. Every value is a distinct operator action:
 * fix credentials, grant a permission, wait for a rate limit, fix the key, ...
 *
 * @public
 */
export type ProviderErrorType =
  | 'AUTH_FAILED' // bad credentials at login (401)
  | 'TOKEN_EXPIRED' // token rejected after one re-login (403 TokenError)
  | 'PERMISSION_DENIED' // 403 PermissionDenied: the identity lacks a permission
  | 'USE_LIMIT_REACHED' // token or client secret use limit
  | 'CLIENT_SECRET_EXPIRED'
  | 'KEY_NOT_FOUND' // the key does not exist (see `folderExists`)
  | 'FOLDER_NOT_FOUND' // the path/folder does not exist
  | 'PROPERTY_NOT_FOUND' // the JSON property is absent from the value
  | 'INVALID_REQUEST' // 400/422 from the provider
  | 'RATE_LIMITED' // 429, after honouring Retry-After within the budget
  | 'UNAVAILABLE' // 5xx or network error after retries
  | 'TIMEOUT'
  | 'TLS' // certificate verification failed
  | 'INVALID_CONFIG' // the store's configuration cannot work
  | 'UNSUPPORTED' // the store or ExternalSecret asks for something this provider cannot do
  | 'UNKNOWN';

/**
 * What a `ProviderError` carries: the provider, store, key, HTTP status and request id (never a value).
 *
 * @public
 */
export type ProviderErrorDetails = {
  /** Provider name, e.g. `infisical`. */
  provider: string;
  /** `Kind/namespace/name` of the store, or `ClusterSecretStore/name`. */
  store?: string;
  /** The remote key as written in the ExternalSecret. */
  key?: string;
  /** The provider-side path/folder the key was looked up in. */
  path?: string;
  /** The provider call, e.g. `list`, `login`, `get`. */
  call?: string;
  httpStatus?: number;
  /** The provider's request id (Infisical `reqId`). */
  requestId?: string;
  /** Seconds the provider asked us to wait (Retry-After). */
  retryAfterSeconds?: number;
  /**
   * For KEY_NOT_FOUND: true only when the provider positively confirmed that the
   * key's folder exists. Only then may deletionPolicy Delete/Merge prune the key.
   */
  folderExists?: boolean;
  /**
   * For KEY_NOT_FOUND: existing key NAMES closest to the one asked for (a
   * likely typo), nearest first; never values.
   */
  similarKeys?: string[];
  /** What the operator should do about it. */
  hint?: string;
};

/**
 * A typed provider failure. Its message names the real cause (key, path, store,
 * HTTP status, request id) and never contains a secret value.
 *
 * @public
 */
export class ProviderError extends Error {
  /** Always `ProviderError`. */
  readonly name = 'ProviderError';
  /** The kind of failure; decides retries and whether a key is gone. */
  readonly errorType: ProviderErrorType;
  /** Where the error happened (provider, store, key, status, request id). */
  readonly details: ProviderErrorDetails;

  constructor(
    errorType: ProviderErrorType,
    message: string,
    details: ProviderErrorDetails,
  ) {
    super(message);
    this.errorType = errorType;
    this.details = details;
  }

  /** Positive evidence that the key is gone (not an error, timeout or empty listing). */
  get provesKeyIsGone(): boolean {
    return (
      this.errorType === 'KEY_NOT_FOUND' && this.details.folderExists === true
    );
  }

  /** Transient failures: retry next cycle with backoff; nothing in the cluster changes. */
  get isTransient(): boolean {
    return ['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'UNKNOWN'].includes(
      this.errorType,
    );
  }
}

/**
 * True for a `ProviderError`, also one from another copy of this package.
 *
 * @public
 */
export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}
