import { InfisicalApiError } from './InfisicalApiError';
import { InfisicalTransportError } from './InfisicalTransportError';
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelayMs,
} from './retryPolicy';

const apiError = (status: number, retryAfterMs?: number) =>
  new InfisicalApiError({ call: 'GetSecretsV4', status, retryAfterMs });
const transport = (failure: 'timeout' | 'tls' | 'network') =>
  new InfisicalTransportError({
    call: 'GetSecretsV4',
    failure,
    url: 'https://x/api',
    message: failure,
  });

describe('retryDelayMs', () => {
  const half = () => 0.5;

  it.each([
    ['a 503', apiError(503), 375],
    ['a 500', apiError(500), 375],
    ['a timeout', transport('timeout'), 375],
    ['a network error', transport('network'), 375],
    ['a 429 without Retry-After', apiError(429), 375],
    ['a 429 with Retry-After 7 s', apiError(429, 7000), 7000],
  ])('should retry %s', (_case, error, expected) => {
    expect(retryDelayMs(error, 0, DEFAULT_RETRY_POLICY, half)).toBe(expected);
  });

  it.each([
    ['a TLS failure', transport('tls')],
    ['a 401', apiError(401)],
    ['a 403', apiError(403)],
    ['a 404', apiError(404)],
    ['a 422', apiError(422)],
    ['a 429 asking to wait longer than the cap', apiError(429, 120_000)],
  ])('should not retry %s', (_case, error) => {
    expect(retryDelayMs(error, 0, DEFAULT_RETRY_POLICY, half)).toBeUndefined();
  });

  it('should stop after maxRetries', () => {
    expect(
      retryDelayMs(apiError(503), 3, DEFAULT_RETRY_POLICY, half),
    ).toBeUndefined();
  });
});

describe('backoffMs', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 4000 };

  it('should double per attempt and stay between half and all of the step', () => {
    expect([0, 1, 2].map(n => backoffMs(n, policy, () => 0))).toEqual([
      250, 500, 1000,
    ]);
    expect([0, 1, 2].map(n => backoffMs(n, policy, () => 1))).toEqual([
      500, 1000, 2000,
    ]);
  });

  it('should cap the step', () => {
    expect(backoffMs(10, policy, () => 1)).toBe(4000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);

  it.each([
    ['delta seconds', '7', 7000],
    ['an HTTP date', new Date(now + 30_000).toUTCString(), 30_000],
    ['a date in the past', new Date(now - 5000).toUTCString(), 0],
  ])('should read %s', (_case, header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it.each([null, '', 'soon'])('should ignore %j', header => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
