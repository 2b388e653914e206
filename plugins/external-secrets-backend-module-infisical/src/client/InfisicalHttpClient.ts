import type { Dispatcher } from 'undici';
import type { ProviderApiMetrics } from '../metrics/ProviderApiMetrics';
import type { InfisicalApiCall } from './apiCalls';
import {
  InfisicalApiError,
  parseErrorBody,
  REQUEST_ID_HEADERS,
  redirectRefused,
  unexpectedResponse,
} from './InfisicalApiError';
import { classifyFetchFailure } from './InfisicalTransportError';
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from './retryPolicy';
import type { Clock, Sleep } from './timing';

/** One request to Infisical. `path` is relative to the API base (`/v4/secrets`). */
export type ApiRequest = {
  call: InfisicalApiCall;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  body?: Record<string, unknown>;
  token?: string;
  /** Sent as `If-None-Match`; a 304 answer comes back as `notModified`. */
  etag?: string;
  signal?: AbortSignal;
};

export type ApiResponse =
  | { notModified: false; status: number; body: unknown; etag?: string }
  | { notModified: true; status: 304; etag?: string };

export type InfisicalHttpClientOptions = {
  /** Normalised API base, ending in `/api` (see normalizeHostApi). */
  baseUrl: string;
  /** An undici Agent trusting the store's CA; undefined uses Node's default trust store. */
  dispatcher?: Dispatcher;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  clock: Clock;
  sleep: Sleep;
  random: () => number;
  metrics: ProviderApiMetrics;
};

/**
 * A small typed HTTP client for one Infisical instance: JSON in and out, a
 * per-attempt timeout, retries of 429 (Retry-After), 5xx and network errors
 * with capped backoff, ETag/304, and one metric sample per attempt. It throws
 * `InfisicalApiError` (an HTTP answer) or `InfisicalTransportError` (no answer);
 * mapping to `ProviderError` happens where the store and key are known.
 */
export class InfisicalHttpClient {
  constructor(private readonly options: InfisicalHttpClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async send(request: ApiRequest): Promise<ApiResponse> {
    const { retry, random, sleep } = this.options;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.attempt(request);
        this.options.metrics.record(request.call, 'success');
        return response;
      } catch (error) {
        this.options.metrics.record(request.call, 'error');
        const delay = retryDelayMs(error, attempt, retry, random);
        if (delay === undefined) throw error;
        await sleep(delay, request.signal);
      }
    }
  }

  private async attempt(request: ApiRequest): Promise<ApiResponse> {
    const url = this.url(request);
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    const signal = request.signal
      ? AbortSignal.any([timeout, request.signal])
      : timeout;
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        method: request.method,
        headers: this.headers(request),
        body: request.body ? JSON.stringify(request.body) : undefined,
        signal,
        // A redirect would re-send the body (login credentials) or the token
        // to the Location's host: report it instead (see read()).
        redirect: 'manual',
        // Node's fetch is undici: `dispatcher` carries the store's CA and,
        // for tenant stores, the address guard.
        ...(this.options.dispatcher
          ? { dispatcher: this.options.dispatcher }
          : {}),
      } as RequestInit);
    } catch (error) {
      throw classifyFetchFailure(error, request.call, url, request.signal);
    }
    return this.read(request, response, url);
  }

  private async read(
    request: ApiRequest,
    response: Response,
    url: string,
  ): Promise<ApiResponse> {
    const etag = response.headers.get('etag') ?? undefined;
    if (response.status === 304) {
      return { notModified: true, status: 304, etag };
    }
    if (isRedirect(response)) {
      await response.body?.cancel();
      throw redirectRefused(
        request.call,
        response.status,
        response.headers.get('location'),
        url,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new InfisicalApiError({
        call: request.call,
        status: response.status,
        body: parseErrorBody(text),
        retryAfterMs: parseRetryAfter(
          response.headers.get('retry-after'),
          this.options.clock.now(),
        ),
        requestId: requestIdOf(response.headers),
      });
    }
    return {
      notModified: false,
      status: response.status,
      body: text ? parseJson(text, request, response.status) : undefined,
      etag,
    };
  }

  private url(request: ApiRequest): string {
    const url = new URL(`${this.options.baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    return url.toString();
  }

  private headers(request: ApiRequest): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body) headers['content-type'] = 'application/json';
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.etag) headers['if-none-match'] = request.etag;
    return headers;
  }
}

/** The server's request id from the answer's headers; real error bodies carry none. */
function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** A 3xx, or the opaque answer a spec-exact fetch gives `redirect: 'manual'`. */
function isRedirect(response: Response): boolean {
  return (
    response.type === 'opaqueredirect' ||
    (response.status >= 300 && response.status < 400)
  );
}

function parseJson(text: string, request: ApiRequest, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A 2xx that is not JSON is a proxy or a wrong hostAPI, not Infisical.
    throw unexpectedResponse(
      request.call,
      status,
      `${request.method} ${request.path} answered with something that is not JSON`,
    );
  }
}
