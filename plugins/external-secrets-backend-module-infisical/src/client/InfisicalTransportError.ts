import type { InfisicalApiCall } from './apiCalls';

import { ADDRESS_REFUSED } from './guardedConnector';

/**
 * How a request failed before Infisical answered. `refused`: the backend's
 * address guard did not let the connection open (a tenant store aimed at a
 * private, loopback or link-local address).
 */
export type TransportFailure =
  | 'timeout'
  | 'tls'
  | 'network'
  | 'aborted'
  | 'refused';

/**
 * The request never got an HTTP answer: timeout, TLS verification failure,
 * connection refused/reset, DNS, or the caller aborted.
 */
export class InfisicalTransportError extends Error {
  readonly name = 'InfisicalTransportError';
  readonly call: InfisicalApiCall;
  readonly failure: TransportFailure;
  /** Node/undici error code, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ECONNREFUSED`. */
  readonly code?: string;
  readonly url: string;

  constructor(options: {
    call: InfisicalApiCall;
    failure: TransportFailure;
    url: string;
    code?: string;
    message: string;
  }) {
    super(options.message);
    this.call = options.call;
    this.failure = options.failure;
    this.code = options.code;
    this.url = options.url;
  }
}

/** Certificate verification codes from Node's TLS layer (OpenSSL names). */
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Classifies a rejected `fetch`. Undici puts the socket error in `cause`;
 * `AbortSignal.timeout` rejects with a `TimeoutError`.
 */
export function classifyFetchFailure(
  error: unknown,
  call: InfisicalApiCall,
  url: string,
  callerSignal?: AbortSignal,
): InfisicalTransportError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })
    ?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail =
    typeof cause?.message === 'string'
      ? cause.message
      : (error as Error)?.message ?? String(error);
  const base = { call, url, code };
  if (callerSignal?.aborted) {
    return new InfisicalTransportError({
      ...base,
      failure: 'aborted',
      message: 'the request was aborted by the caller',
    });
  }
  if (code === ADDRESS_REFUSED) {
    // The guard's text names host, address and config key; nothing else to add.
    return new InfisicalTransportError({
      ...base,
      failure: 'refused',
      message: detail,
    });
  }
  if ((error as Error)?.name === 'TimeoutError') {
    return new InfisicalTransportError({
      ...base,
      failure: 'timeout',
      message: 'no answer within the request timeout',
    });
  }
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL'))) {
    return new InfisicalTransportError({
      ...base,
      failure: 'tls',
      message: `${code}: ${detail}`,
    });
  }
  return new InfisicalTransportError({
    ...base,
    failure: 'network',
    message: code ? `${code}: ${detail}` : detail,
  });
}
