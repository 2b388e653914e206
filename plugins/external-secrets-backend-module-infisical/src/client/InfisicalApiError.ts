import type { InfisicalApiCall } from './apiCalls';

/**
 * Infisical's error body: `{statusCode, message, error, details?}` (recorded);
 * some builds add `reqId`.
 */
export type InfisicalErrorBody = {
  reqId?: string;
  /** A string, or an array of validation issues on 422. */
  message?: unknown;
  /** The error class name, e.g. `TokenError`, `PermissionDenied`, `NotFound`. */
  error?: string;
  details?: unknown;
};

/**
 * A non-2xx answer from Infisical. Carries what the operator needs (status,
 * request id, Infisical's own message) and never the request's credentials.
 */
export class InfisicalApiError extends Error {
  readonly name = 'InfisicalApiError';
  readonly call: InfisicalApiCall;
  readonly status: number;
  readonly requestId?: string;
  /** Infisical's `error` field (`TokenError`, `PermissionDenied`, ...). */
  readonly errorName?: string;
  readonly details?: unknown;
  /** Infisical's message, flattened to text (422 issue arrays are joined). */
  readonly serverMessage: string;
  /** From `Retry-After`, when the answer carried one. */
  readonly retryAfterMs?: number;

  constructor(options: {
    call: InfisicalApiCall;
    status: number;
    body?: InfisicalErrorBody;
    retryAfterMs?: number;
    /** From the answer's request-id header, when the server sends one. */
    requestId?: string;
  }) {
    const serverMessage = flattenMessage(options.body?.message);
    super(`HTTP ${options.status} from ${options.call}: ${serverMessage}`);
    this.call = options.call;
    this.status = options.status;
    this.requestId = options.requestId ?? options.body?.reqId;
    this.errorName = options.body?.error;
    this.details = options.body?.details;
    this.serverMessage = serverMessage;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The answer a recorded Infisical gives for a project slug that does not
 * exist: a 500 "Failed to find project by slug" from its database layer. It
 * never heals by retrying: it is a configuration error.
 */
export function isUnknownProjectAnswer(error: unknown): boolean {
  return (
    error instanceof InfisicalApiError &&
    error.status === 500 &&
    `${error.errorName ?? ''} ${error.serverMessage}`
      .toLowerCase()
      .includes('failed to find project')
  );
}

/**
 * Fastify's 404 for a route the server does not have ("Route GET:/api/... not
 * found", `error: "Not Found"`), as opposed to Infisical's own NotFound.
 */
export function isMissingRouteAnswer(error: unknown): boolean {
  if (!(error instanceof InfisicalApiError) || error.status !== 404)
    return false;
  const text = error.serverMessage;
  return (
    error.errorName === undefined ||
    error.errorName === 'Not Found' ||
    (text.startsWith('Route ') && text.endsWith(' not found'))
  );
}

/** Response headers that may carry the server's request id (none in the recorded build). */
export const REQUEST_ID_HEADERS = ['x-request-id', 'request-id'] as const;

/** Reads the error body leniently: proxies answer with HTML or nothing. */
export function parseErrorBody(text: string): InfisicalErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const body = parsed as Record<string, unknown>;
    return {
      reqId: typeof body.reqId === 'string' ? body.reqId : undefined,
      message: body.message,
      error: typeof body.error === 'string' ? body.error : undefined,
      details: body.details,
    };
  } catch {
    return undefined;
  }
}

/** 422 answers carry zod issues `[{path, message}]`: show them as `path: message; ...`. */
function flattenMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (!Array.isArray(message)) return 'no message';
  return message
    .map(issue => {
      if (typeof issue !== 'object' || issue === null) return String(issue);
      const { path, message: text } = issue as {
        path?: unknown;
        message?: unknown;
      };
      const where =
        Array.isArray(path) && path.length ? `${path.join('.')}: ` : '';
      return `${where}${typeof text === 'string' ? text : 'invalid'}`;
    })
    .join('; ');
}

/** The `error` name marking answers that are not Infisical's API shape. */
export const UNEXPECTED_RESPONSE = 'UnexpectedResponse';

/**
 * A 3xx: never followed, because the request may carry credentials (the login
 * body, a bearer token) that must not reach another host. Names the status and
 * the Location's host only: its path or query may hold anything.
 */
export function redirectRefused(
  call: InfisicalApiCall,
  status: number,
  location: string | null,
  requestUrl: string,
): InfisicalApiError {
  let target = 'no Location';
  if (location) {
    try {
      target = new URL(location, requestUrl).host;
    } catch {
      target = 'an unreadable Location';
    }
  }
  return new InfisicalApiError({
    call,
    status,
    body: {
      error: UNEXPECTED_RESPONSE,
      message: `a redirect to ${target}, which is not followed: requests carry credentials that must not reach another host`,
    },
  });
}

/** A 2xx whose body is not what this Infisical route returns. */
export function unexpectedResponse(
  call: InfisicalApiCall,
  status: number,
  what: string,
): InfisicalApiError {
  return new InfisicalApiError({
    call,
    status,
    body: {
      error: UNEXPECTED_RESPONSE,
      message: `${what}; check that hostAPI points at the Infisical API`,
    },
  });
}
