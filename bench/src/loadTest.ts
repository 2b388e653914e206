/**
 * Status API load: `connections` concurrent clients hammering
 * `GET /api/external-secrets/entities/component/default/<random entity>/status`
 * as a signed-in user. Runs in the orchestrator process, so the client's CPU
 * is not the server's event loop. Every response time is kept, so p95 is exact
 * (autocannon's summary has p90 and p97.5, not p95).
 *
 * `conditional` makes the clients poll the way the page does in a browser:
 * each entity's last ETag is sent back in If-None-Match, so an unchanged
 * status is answered 304 without a body.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import autocannon from 'autocannon';
import { percentile, round } from './analysis/stats';
import { entityName } from './workload';

export type LoadResult = {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Non-2xx answers other than 304 Not Modified. */
  non2xx: number;
  /** 304 answers to If-None-Match (conditional runs only). */
  notModified?: number;
  errors: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** CPU time (user + system) of the backend's process per request during the measured run. */
  backendCpuMsPerRequest?: number;
};

function statusPath(i: number) {
  return `/api/external-secrets/entities/component/default/${entityName(
    i,
  )}/status`;
}

function run(options: {
  baseUrl: string;
  entities: number;
  connections: number;
  durationSeconds: number;
  collect: boolean;
  /** Shared by the clients: the last ETag seen per status path. */
  etags?: Map<string, string>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const etags = options.etags;
  let notModified = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        headers: { authorization: mockCredentials.user.header() },
        requests: [
          {
            method: 'GET',
            setupRequest: (request, context) => {
              const path = statusPath(
                Math.floor(Math.random() * options.entities),
              );
              const etag = etags?.get(path);
              context.path = path;
              return {
                ...request,
                path,
                headers: etag
                  ? { ...request.headers, 'if-none-match': etag }
                  : request.headers,
              };
            },
            onResponse: (status, _body, context, headers) => {
              if (!etags) return;
              if (status === 304) notModified += 1;
              const etag = headerOf(headers, 'etag');
              if (etag) etags.set(String(context.path), etag);
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const seconds = options.durationSeconds;
        resolve({
          connections: options.connections,
          durationSeconds: seconds,
          requests: latencies.length,
          requestsPerSecond: round(latencies.length / seconds, 0),
          non2xx: result.non2xx - notModified,
          ...(etags ? { notModified } : {}),
          errors: result.errors + result.timeouts,
          latencyMs: {
            p50: round(percentile(latencies, 50), 1),
            p95: round(percentile(latencies, 95), 1),
            p99: round(percentile(latencies, 99), 1),
            max: round(Math.max(...latencies), 1),
          },
        });
      },
    );
    if (options.collect) {
      instance.on('response', (_client, _status, _bytes, responseTime) => {
        latencies.push(responseTime);
      });
    }
  });
}

function headerOf(headers: Record<string, string | string[]>, name: string) {
  const key = Object.keys(headers ?? {}).find(k => k.toLowerCase() === name);
  const value = key ? headers[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A short warm-up (JIT, connection pools), then the measured run.
 * `backendCpuMs` reads the backend process's CPU time (ms) around the measured
 * run: CPU per request is less sensitive to a busy machine than latency.
 */
export async function loadTestStatusApi(options: {
  baseUrl: string;
  entities: number;
  connections: number;
  durationSeconds: number;
  backendCpuMs?: () => Promise<number>;
  /** Poll with If-None-Match (the warm-up sees each entity's ETag first). */
  conditional?: boolean;
}): Promise<LoadResult> {
  const etags = options.conditional ? new Map<string, string>() : undefined;
  await run({ ...options, durationSeconds: 2, collect: false, etags });
  const cpuBefore = await options.backendCpuMs?.();
  const result = await run({ ...options, collect: true, etags });
  const cpuAfter = await options.backendCpuMs?.();
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests) {
    result.backendCpuMsPerRequest = round(
      (cpuAfter - cpuBefore) / result.requests,
      2,
    );
  }
  return result;
}
