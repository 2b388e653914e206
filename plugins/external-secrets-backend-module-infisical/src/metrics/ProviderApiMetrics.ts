import { metrics, type Meter, type UpDownCounter } from '@opentelemetry/api';
import type { InfisicalApiCall } from '../client/apiCalls';

/**
 * The OpenTelemetry instrument name. It is ESO's metric name verbatim. The
 * instrument is an UpDownCounter that only ever goes up: OpenTelemetry's
 * Prometheus exporter appends `_total` to monotonic counters, and ESO's name
 * has no `_total`, so a monotonic Counter would be exported as
 * `externalsecret_provider_api_calls_count_total`. The exported series is
 * `externalsecret_provider_api_calls_count{provider,call,status}` exactly
 * (Prometheus TYPE `gauge`); `rate()`/`increase()` queries written for ESO work
 * unchanged because the value only grows until the process restarts.
 *
 * @public
 */
export const PROVIDER_API_CALLS_METRIC =
  'externalsecret_provider_api_calls_count';

/** ESO's `status` label values. @public */
export type ApiCallStatus = 'success' | 'error';

/** One row of the in-process call counts. @public */
export type ApiCallCount = {
  call: InfisicalApiCall;
  status: ApiCallStatus;
  count: number;
};

const METER_NAME =
  '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';

/**
 * Counts HTTP attempts towards Infisical by call and outcome, both as an
 * OpenTelemetry instrument and as in-process counts (for tests and benchmarks).
 * Labels carry call names only: never keys, paths, identities or values.
 */
export class ProviderApiMetrics {
  readonly #counter: UpDownCounter;
  readonly #counts = new Map<string, ApiCallCount>();

  constructor(meter: Meter = metrics.getMeter(METER_NAME)) {
    this.#counter = meter.createUpDownCounter(PROVIDER_API_CALLS_METRIC, {
      description: 'Number of API calls towards the secret provider',
    });
  }

  record(call: InfisicalApiCall, status: ApiCallStatus): void {
    this.#counter.add(1, { provider: 'infisical', call, status });
    const id = `${call}/${status}`;
    const row = this.#counts.get(id) ?? { call, status, count: 0 };
    this.#counts.set(id, { ...row, count: row.count + 1 });
  }

  /** Counts since the provider was created, sorted by call then status. */
  counts(): ApiCallCount[] {
    return [...this.#counts.values()].sort(
      (a, b) =>
        a.call.localeCompare(b.call) || a.status.localeCompare(b.status),
    );
  }
}
