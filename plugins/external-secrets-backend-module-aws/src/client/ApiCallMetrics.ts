import { metrics, type Meter, type UpDownCounter } from '@opentelemetry/api';

/**
 * ESO's metric name verbatim (see the Infisical module for why it is an
 * UpDownCounter): `externalsecret_provider_api_calls_count{provider,call,status}`.
 */
const PROVIDER_API_CALLS_METRIC = 'externalsecret_provider_api_calls_count';

/** One row of the in-process call counts. @public */
export type AwsApiCallCount = {
  /** The AWS operation, e.g. `BatchGetSecretValue`, `AssumeRole`. */
  call: string;
  status: 'success' | 'error';
  count: number;
};

const METER_NAME =
  '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-aws';

/**
 * Counts HTTP attempts towards AWS (retries included) by operation and
 * outcome, as an OpenTelemetry instrument and in-process (tests, `yarn bench`).
 * Labels carry operation names only: never secret names or values.
 */
export class ApiCallMetrics {
  readonly #counter: UpDownCounter;
  readonly #counts = new Map<string, AwsApiCallCount>();

  constructor(meter: Meter = metrics.getMeter(METER_NAME)) {
    this.#counter = meter.createUpDownCounter(PROVIDER_API_CALLS_METRIC, {
      description: 'Number of API calls towards the secret provider',
    });
  }

  record(call: string, status: AwsApiCallCount['status']): void {
    this.#counter.add(1, { provider: 'aws', call, status });
    const id = `${call}/${status}`;
    const row = this.#counts.get(id) ?? { call, status, count: 0 };
    this.#counts.set(id, { ...row, count: row.count + 1 });
  }

  counts(): AwsApiCallCount[] {
    return [...this.#counts.values()].sort(
      (a, b) =>
        a.call.localeCompare(b.call) || a.status.localeCompare(b.status),
    );
  }
}
