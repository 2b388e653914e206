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
