/**
 * Why a Kubernetes call failed. Each value asks for a different operator action:
 * fix the URL or network, the token, the RBAC rules, the object, or wait.
 *
 * @public
 */
export type ClusterErrorType =
  | 'UNREACHABLE' // no HTTP answer: DNS, connection refused/reset, unreadable token or CA file
  | 'UNAUTHORIZED' // 401: token missing, expired or not accepted
  | 'FORBIDDEN' // 403: the service account lacks an RBAC verb on a resource
  | 'NOT_FOUND' // 404: object (or namespace, or the ESO CRDs) absent
  | 'CONFLICT' // 409: stale resourceVersion, failed precondition, or already exists
  | 'INVALID' // 400/422 and other 4xx: the apiserver rejected the request or object
  | 'SERVER_ERROR' // 5xx, 429, 410: apiserver trouble, retry later
  | 'TIMEOUT' // no answer within the request timeout, or 504
  | 'TLS'; // certificate verification or handshake failed

/** The RBAC verbs the plugin uses. @public */
export type ClusterVerb =
  | 'get'
  | 'list'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete';

/** One field-level problem of a 422, as the apiserver's `Status.details.causes`. @public */
export type ClusterErrorCause = {
  field?: string;
  reason?: string;
  message?: string;
};

/** @public */
export type ClusterErrorDetails = {
  /** The configured cluster name. */
  cluster: string;
  verb: ClusterVerb;
  /** API group, `''` for core. */
  group: string;
  /** Resource as RBAC names it: `secrets`, `externalsecrets/status`. */
  resource: string;
  namespace?: string;
  name?: string;
  /** The request path, e.g. `/api/v1/namespaces/team-a/secrets/db`. */
  path: string;
  httpStatus?: number;
  /** The apiserver's `Status.reason`: `Conflict`, `AlreadyExists`, `Forbidden`, ... */
  reason?: string;
  /** The apiserver's `Status.message`, verbatim. */
  apiserverMessage?: string;
  /** 422 causes, one per field. */
  causes?: ClusterErrorCause[];
  /** Network or TLS error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, ...). */
  code?: string;
  /** Seconds the apiserver asked us to wait (429/503 `Retry-After`). */
  retryAfterSeconds?: number;
  /** What the operator should do about it. */
  hint?: string;
};

/**
 * A failed Kubernetes call. The message names cluster, verb, resource, object
 * and the apiserver's own message; it never contains a Secret value (the
 * apiserver does not echo Secret data, and request bodies are never included).
 *
 * @public
 */
export class ClusterError extends Error {
  readonly name = 'ClusterError';
  readonly errorType: ClusterErrorType;
  readonly details: ClusterErrorDetails;

  constructor(
    errorType: ClusterErrorType,
    message: string,
    details: ClusterErrorDetails,
  ) {
    super(message);
    this.errorType = errorType;
    this.details = details;
  }

  /** True for a 409 caused by a create of an object that already exists. */
  get alreadyExists(): boolean {
    return (
      this.errorType === 'CONFLICT' && this.details.reason === 'AlreadyExists'
    );
  }

  /** Failures that may pass on their own: retry next cycle with backoff. */
  get isTransient(): boolean {
    return ['UNREACHABLE', 'SERVER_ERROR', 'TIMEOUT', 'CONFLICT'].includes(
      this.errorType,
    );
  }
}

/** @public */
export function isClusterError(error: unknown): error is ClusterError {
  return error instanceof ClusterError;
}
