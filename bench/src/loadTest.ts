/**
 * Status API load: `connections` concurrent clients hammering
 * `GET /api/external-secrets/entities/component/default/<random entity>/status`
 * as a signed-in user. Runs in the orchestrator process, so the client's CPU
 * is not the server's event loop. Every response time is kept, so p95 is exact
 * (autocannon's summary has p90 and p97.5, not p95).
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
  non2xx: number;
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
}): Promise<LoadResult> {
  const latencies: number[] = [];
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
            setupRequest: request => ({
              ...request,
              path: statusPath(Math.floor(Math.random() * options.entities)),
            }),
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
          non2xx: result.non2xx,
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
}): Promise<LoadResult> {
  await run({ ...options, durationSeconds: 2, collect: false });
  const cpuBefore = await options.backendCpuMs?.();
  const result = await run({ ...options, collect: true });
  const cpuAfter = await options.backendCpuMs?.();
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests) {
    result.backendCpuMsPerRequest = round(
      (cpuAfter - cpuBefore) / result.requests,
      2,
    );
  }
  return result;
}
