import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed API call, when the error came from a response. */
export function statusCodeOf(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}

/** The server's own explanation of a failed API call, else the error's message. */
export function serverMessageOf(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The server's `Retry-After` in seconds on a failed API call, when it sent one. */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  if (!ResponseError.is(error)) return undefined;
  const header = error.response.headers?.get?.('retry-after');
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : undefined;
}
