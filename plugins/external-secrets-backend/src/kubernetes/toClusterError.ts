/**
 * Maps whatever a Kubernetes call threw (the client library's ApiException with
 * the apiserver's Status body, node-fetch's FetchError/AbortError, a file or
 * TLS error while preparing the request) to a ClusterError. The request body is
 * never looked at, so a Secret value cannot end up in the message.
 */
import {
  ClusterError,
  ClusterErrorCause,
  ClusterErrorDetails,
  ClusterErrorType,
  ClusterVerb,
} from './ClusterError';

/** What the failed call was about. @internal */
export type ClusterRequest = {
  cluster: string;
  verb: ClusterVerb;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  path: string;
  timeoutMs: number;
};

type ApiStatusBody = {
  message?: string;
  reason?: string;
  details?: { causes?: ClusterErrorCause[]; retryAfterSeconds?: number };
};

type HttpFailure = {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CLUSTER_SCOPED = new Set(['clustersecretstores', 'namespaces']);

function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as HttpFailure).code === 'number'
  );
}

function parseStatus(body: unknown): ApiStatusBody {
  if (typeof body === 'object' && body !== null) return body as ApiStatusBody;
  if (typeof body !== 'string' || body.trim() === '') return {};
  try {
    const parsed = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** `secrets "db" in namespace "team-a"`, `status of externalsecrets.external-secrets.io "x" ...`. */
function describeTarget(request: ClusterRequest): string {
  const [plural, subresource] = request.resource.split('/');
  const qualified = request.group ? `${plural}.${request.group}` : plural;
  const object =
    request.name !== undefined ? `${qualified} "${request.name}"` : qualified;
  let scope = '';
  if (request.namespace !== undefined) {
    scope = ` in namespace "${request.namespace}"`;
  } else if (!CLUSTER_SCOPED.has(plural)) {
    scope = ' in all namespaces';
  }
  return `${subresource ? `${subresource} of ` : ''}${object}${scope}`;
}

function rbacScope(request: ClusterRequest): string {
  return request.namespace !== undefined
    ? `in namespace "${request.namespace}"`
    : 'cluster-wide';
}

function classifyStatus(status: number): ClusterErrorType {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 408 || status === 504) return 'TIMEOUT';
  if (status === 410 || status === 429 || status >= 500) return 'SERVER_ERROR';
  return 'INVALID';
}

function hintFor(
  errorType: ClusterErrorType,
  request: ClusterRequest,
): string | undefined {
  switch (errorType) {
    case 'UNAUTHORIZED':
      return 'Check the service account token configured for this cluster: it is missing, expired or not accepted by this apiserver.';
    case 'FORBIDDEN':
      return `Grant the plugin's service account "${request.verb}" on "${
        request.resource
      }" (API group "${request.group}") ${rbacScope(
        request,
      )}; see the ClusterRole in the plugin README.`;
    case 'NOT_FOUND':
      return request.group && request.name === undefined
        ? `Check that the External Secrets CRDs (${request.group}/v1) are installed in this cluster.`
        : undefined;
    case 'CONFLICT':
      return 'The object changed or exists already: read it again and retry.';
    case 'SERVER_ERROR':
    case 'TIMEOUT':
    case 'UNREACHABLE':
      return 'Retried on the next cycle.';
    case 'TLS':
      return "Set caData or caFile to the cluster's CA certificate (or fix the server URL).";
    default:
      return undefined;
  }
}

function fromHttpFailure(
  failure: HttpFailure,
  request: ClusterRequest,
): ClusterError {
  const status = parseStatus(failure.body);
  const errorType = classifyStatus(failure.code);
  const retryAfter =
    status.details?.retryAfterSeconds ??
    (failure.headers?.['retry-after']
      ? Number(failure.headers['retry-after'])
      : undefined);
  const hint = hintFor(errorType, request);
  const reason = status.reason ? ` ${status.reason}` : '';
  const apiserver = status.message ? `: ${status.message}` : '';
  const lacks =
    errorType === 'FORBIDDEN'
      ? ` The service account lacks "${request.verb}" on "${
          request.resource
        }" (API group "${request.group}") ${rbacScope(request)}.`
      : '';
  const message = `Cluster '${request.cluster}': ${
    request.verb
  } ${describeTarget(request)} failed with HTTP ${
    failure.code
  }${reason}${apiserver}.${lacks}${
    hint && errorType !== 'FORBIDDEN' ? ` ${hint}` : ''
  }`;
  const details: ClusterErrorDetails = {
    ...requestDetails(request),
    httpStatus: failure.code,
    ...(status.reason && { reason: status.reason }),
    ...(status.message && { apiserverMessage: status.message }),
    ...(status.details?.causes?.length && { causes: status.details.causes }),
    ...(retryAfter !== undefined &&
      Number.isFinite(retryAfter) && { retryAfterSeconds: retryAfter }),
    ...(hint && { hint }),
  };
  return new ClusterError(errorType, message, details);
}

/** The details every ClusterError of this request carries. @internal */
export function requestDetails(request: ClusterRequest): ClusterErrorDetails {
  const { timeoutMs: _t, ...details } = request;
  return details;
}

function errorCode(error: Error): string | undefined {
  const { code, errno } = error as Error & { code?: unknown; errno?: unknown };
  if (typeof code === 'string') return code;
  return typeof errno === 'string' ? errno : undefined;
}

/** node-fetch says "request to URL failed, reason: X"; keep X. */
function reasonOf(error: Error): string {
  const match = /reason: (.*)$/s.exec(error.message);
  return (match ? match[1] : error.message).trim();
}

function classifyTransportError(error: Error): ClusterErrorType {
  const code = errorCode(error);
  if (
    error.name === 'AbortError' ||
    (error as { type?: string }).type === 'aborted'
  ) {
    return 'TIMEOUT';
  }
  if (code && TIMEOUT_CODES.has(code)) return 'TIMEOUT';
  if (
    (code && (TLS_CODES.has(code) || /^ERR_(SSL|TLS)_/.test(code))) ||
    /certificate|SSL routines|PEM routines/i.test(error.message)
  ) {
    return 'TLS';
  }
  return 'UNREACHABLE';
}

/** A JSON parser's message quotes the text it failed on: for a Secret read, its values. */
function fromMalformedResponse(request: ClusterRequest): ClusterError {
  const hint = hintFor('SERVER_ERROR', request);
  return new ClusterError(
    'SERVER_ERROR',
    `Cluster '${request.cluster}': ${request.verb} ${describeTarget(
      request,
    )} returned a response that is not valid JSON. ${hint}`,
    { ...requestDetails(request), ...(hint && { hint }) },
  );
}

function fromTransportError(
  error: Error,
  request: ClusterRequest,
): ClusterError {
  if (error.name === 'SyntaxError') return fromMalformedResponse(request);
  const errorType = classifyTransportError(error);
  const code = errorCode(error);
  const what = `${request.verb} ${describeTarget(request)}`;
  const summaries: Partial<Record<ClusterErrorType, string>> = {
    TIMEOUT: `got no answer within ${request.timeoutMs} ms`,
    TLS: `failed TLS verification: ${reasonOf(error)}`,
    UNREACHABLE: `could not reach the apiserver: ${reasonOf(error)}`,
  };
  const hint = hintFor(errorType, request);
  const message = `Cluster '${request.cluster}': ${what} ${
    summaries[errorType]
  }.${hint ? ` ${hint}` : ''}`;
  return new ClusterError(errorType, message, {
    ...requestDetails(request),
    ...(code && { code }),
    ...(hint && { hint }),
  });
}

/** @internal */
export function toClusterError(
  error: unknown,
  request: ClusterRequest,
): ClusterError {
  if (error instanceof ClusterError) return error;
  if (isHttpFailure(error)) return fromHttpFailure(error, request);
  const cause = error instanceof Error ? error : new Error(String(error));
  return fromTransportError(cause, request);
}
