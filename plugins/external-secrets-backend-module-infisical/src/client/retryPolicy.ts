import { InfisicalApiError, isUnknownProjectAnswer } from './InfisicalApiError';
import { InfisicalTransportError } from './InfisicalTransportError';

/**
 * How the Infisical client retries a failed request: how often and with what backoff,
 * and the longest `Retry-After` it honours.
 *
 * @public
 */
export type RetryPolicy = {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
  maxRetries: number;
  /** First backoff step; doubles per retry. */
  baseDelayMs: number;
  /** Upper bound of one backoff step. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this fails the call at once (RATE_LIMITED) instead of blocking the cycle. */
  maxRetryAfterMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/**
 * How long to wait before retrying `error` after `attempt` (0-based) failed
 * attempts, or `undefined` when the error must not be retried. Retried: 429
 * (Retry-After when present, else backoff), 5xx, timeouts and network errors.
 * Never retried: TLS failures, other 4xx (the caller decides: re-login, ...).
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  if (error instanceof InfisicalTransportError) {
    const retryable =
      error.failure === 'timeout' || error.failure === 'network';
    return retryable ? backoffMs(attempt, policy, random) : undefined;
  }
  if (!(error instanceof InfisicalApiError)) return undefined;
  // A 500 for an unknown project slug will answer the same on every retry.
  if (isUnknownProjectAnswer(error)) return undefined;
  if (error.status === 429) {
    if (error.retryAfterMs === undefined) {
      return backoffMs(attempt, policy, random);
    }
    return error.retryAfterMs <= policy.maxRetryAfterMs
      ? error.retryAfterMs
      : undefined;
  }
  return error.status >= 500 ? backoffMs(attempt, policy, random) : undefined;
}

/**
 * Capped exponential backoff with "equal jitter": half the step is fixed, half
 * random, so concurrent clients spread out but never retry immediately.
 */
export function backoffMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * `Retry-After` is either delta-seconds or an HTTP date. Returns milliseconds
 * from `now`, or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null,
  now: number,
): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
