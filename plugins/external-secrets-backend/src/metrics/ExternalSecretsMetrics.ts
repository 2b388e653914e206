import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Attributes,
  BatchObservableResult,
  Counter,
  Histogram,
  Meter,
  metrics,
  ObservableGauge,
  UpDownCounter,
} from '@opentelemetry/api';
import {
  ExternalSecretId,
  ExternalSecretRecord,
  ExternalSecretState,
} from '../database/StatusStore';
import type { CycleReport } from '../reconciler/ReconcileCycle';

/**
 * The exported Prometheus names. Each instrument is named so that
 * `@opentelemetry/exporter-prometheus` exports exactly this name: it appends
 * `_total` only to monotonic sums whose name lacks it, and never appends a unit.
 * The `externalsecret_*` names and types are ESO's; see
 * `src/metrics/README.part.md` for the mapping and why
 * `externalsecret_sync_calls_error` is an UpDownCounter.
 *
 * @public
 */
export const EXTERNAL_SECRETS_METRIC_NAMES = {
  /** Counter (ESO: counter). Attempted syncs per ExternalSecret. */
  syncCalls: 'externalsecret_sync_calls_total',
  /** UpDownCounter that only grows, exported as TYPE gauge (ESO: counter). */
  syncCallsError: 'externalsecret_sync_calls_error',
  /** Gauge (ESO: gauge). 1/0 per Ready status, from the shared database. */
  statusCondition: 'externalsecret_status_condition',
  /** Gauge (ESO: gauge). Last sync's duration in nanoseconds, as ESO. */
  reconcileDuration: 'externalsecret_reconcile_duration',
  /** Histogram of our own: duration of whole reconcile cycles, seconds. */
  cycleDuration: 'external_secrets_cycle_duration_seconds',
  /** Gauge of our own: ExternalSecrets by cluster, mode and state. */
  externalSecrets: 'external_secrets_externalsecrets',
} as const;

/** The meter's instrumentation scope (`otel_scope_name` in the scrape). */
const METER_NAME = 'external-secrets';
const NANOSECONDS_PER_MILLISECOND = 1e6;
/** Cycles take from well under a second (nothing due) to the 15-minute timeout. */
const CYCLE_BUCKETS_SECONDS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900,
];
const FAILING_STATES: ExternalSecretState[] = ['Error', 'Unsupported'];

/**
 * The reconciler's OpenTelemetry metrics, with ESO's names so dashboards and
 * alerts written for ESO work unchanged. Labels carry cluster, namespace and
 * ExternalSecret names, condition types and states: never a key or a value.
 *
 * Only ExternalSecrets this plugin reconciles get the `externalsecret_*` series:
 * in observe mode the cluster's ESO exports them itself, and exporting them
 * twice would double every alert. `externalsecret_status_condition` is read
 * from the status database at each collection, so every replica reports the
 * same current state; the gauges of a deleted ExternalSecret drop to 0.
 *
 * Nothing is exported until the adopter registers an OpenTelemetry
 * MeterProvider (for example the NodeSDK with the Prometheus exporter) before
 * the backend starts; until then every instrument is a no-op.
 *
 * @public
 */
export class ExternalSecretsMetrics {
  private readonly meter: Meter;
  private readonly syncCalls: Counter;
  private readonly syncErrors: UpDownCounter;
  private readonly cycleDuration: Histogram;
  private readonly gauges: ObservableGauge[];
  private readonly statusCondition: ObservableGauge;
  private readonly reconcileDuration: ObservableGauge;
  private readonly externalSecrets: ObservableGauge;
  /** Series reported by the last collection, to zero the ones that vanish. */
  private reported = new Map<string, GaugePoint>();
  /** Last attempted sync's duration per ExternalSecret, pruned to those still stored. */
  private readonly lastDurations = new Map<
    string,
    { id: ExternalSecretId; nanoseconds: number }
  >();

  constructor(
    private readonly options: {
      /** Every stored ExternalSecret (keys not needed): the state the gauges report. */
      listExternalSecrets: () => Promise<ExternalSecretRecord[]>;
      logger: LoggerService;
      /** Default: the global meter provider's `external-secrets` meter. */
      meter?: Meter;
    },
  ) {
    const names = EXTERNAL_SECRETS_METRIC_NAMES;
    this.meter = options.meter ?? metrics.getMeter(METER_NAME);
    this.syncCalls = this.meter.createCounter(names.syncCalls, {
      description: 'Total number of the External Secret sync calls',
    });
    // ESO's name has no _total: a monotonic Counter would be exported as
    // externalsecret_sync_calls_error_total. This one only ever goes up.
    this.syncErrors = this.meter.createUpDownCounter(names.syncCallsError, {
      description: 'Total number of the External Secret sync errors',
    });
    this.cycleDuration = this.meter.createHistogram(names.cycleDuration, {
      description:
        'Duration of a whole reconcile cycle (all ExternalSecrets of all entities), in seconds',
      advice: { explicitBucketBoundaries: CYCLE_BUCKETS_SECONDS },
    });
    this.statusCondition = this.meter.createObservableGauge(
      names.statusCondition,
      { description: 'The status condition of a specific External Secret' },
    );
    this.reconcileDuration = this.meter.createObservableGauge(
      names.reconcileDuration,
      {
        description:
          'The duration time to reconcile the External Secret, in nanoseconds (as ESO)',
      },
    );
    this.externalSecrets = this.meter.createObservableGauge(
      names.externalSecrets,
      {
        description:
          'ExternalSecrets known to Backstage by cluster, mode and state',
      },
    );
    this.gauges = [
      this.statusCondition,
      this.reconcileDuration,
      this.externalSecrets,
    ];
    this.meter.addBatchObservableCallback(this.observe, this.gauges);
  }

  /**
   * One ExternalSecret's outcome in a cycle. Only attempted syncs count as
   * sync calls (ESO counts its Reconcile calls, which it schedules by
   * `refreshInterval`); ExternalSecrets that were not due are not calls.
   */
  recordOutcome(
    record: ExternalSecretRecord,
    durationMs: number,
    attempted: boolean,
  ): void {
    if (!attempted || record.mode !== 'reconcile') return;
    const labels = idLabels(record);
    this.syncCalls.add(1, labels);
    if (FAILING_STATES.includes(record.state)) this.syncErrors.add(1, labels);
    this.lastDurations.set(idKey(record), {
      id: {
        cluster: record.cluster,
        namespace: record.namespace,
        name: record.name,
      },
      nanoseconds: durationMs * NANOSECONDS_PER_MILLISECOND,
    });
  }

  /** A finished reconcile cycle. */
  recordCycle(report: CycleReport): void {
    this.cycleDuration.record(report.durationMs / 1000);
  }

  /** Stops reporting the gauges (plugin shutdown). */
  close(): void {
    this.meter.removeBatchObservableCallback(this.observe, this.gauges);
  }

  private readonly observe = async (result: BatchObservableResult) => {
    let records: ExternalSecretRecord[];
    try {
      records = await this.options.listExternalSecrets();
    } catch (e) {
      this.options.logger.warn(
        `External Secrets metrics: could not read the ExternalSecret states from the database, gauges are left out of this collection: ${
          (e as Error).message
        }`,
      );
      return;
    }
    const current = this.gaugeValues(records);
    for (const point of current.values()) {
      result.observe(point.gauge, point.value, point.attributes);
    }
    // The OpenTelemetry JS SDK keeps exporting a series' last value after a
    // callback stops observing it (cumulative temporality) and has no way to
    // remove one: a series that is gone reports 0 instead of a stale value.
    for (const [key, point] of this.reported) {
      if (!current.has(key)) {
        result.observe(point.gauge, 0, point.attributes);
      }
    }
    this.reported = current;
  };

  private gaugeValues(
    records: ExternalSecretRecord[],
  ): Map<string, GaugePoint> {
    const points = new Map<string, GaugePoint>();
    const add = (
      gauge: ObservableGauge,
      name: string,
      value: number,
      attributes: Attributes,
    ) => {
      const key = JSON.stringify([name, attributes]);
      const seen = points.get(key);
      points.set(key, { gauge, attributes, value: (seen?.value ?? 0) + value });
    };
    const names = EXTERNAL_SECRETS_METRIC_NAMES;
    const stored = new Set<string>();
    for (const record of records) {
      add(this.externalSecrets, names.externalSecrets, 1, {
        cluster: record.cluster,
        mode: record.mode,
        state: record.state,
      });
      if (record.mode !== 'reconcile') continue;
      stored.add(idKey(record));
      const status = readyStatus(record);
      if (!status) continue;
      // ESO's encoding: the current status of Ready is 1, the opposite one 0.
      for (const candidate of ['True', 'False'] as const) {
        add(
          this.statusCondition,
          names.statusCondition,
          candidate === status ? 1 : 0,
          {
            ...idLabels(record),
            condition: 'Ready',
            status: candidate,
          },
        );
      }
    }
    for (const [key, last] of this.lastDurations) {
      if (!stored.has(key)) {
        this.lastDurations.delete(key);
        continue;
      }
      add(
        this.reconcileDuration,
        names.reconcileDuration,
        last.nanoseconds,
        idLabels(last.id),
      );
    }
    return points;
  }
}

type GaugePoint = {
  gauge: ObservableGauge;
  attributes: Attributes;
  value: number;
};

function idLabels(id: ExternalSecretId): Attributes {
  return { name: id.name, namespace: id.namespace, cluster: id.cluster };
}

function idKey(id: ExternalSecretId): string {
  return JSON.stringify([id.cluster, id.namespace, id.name]);
}

/** An ExternalSecret never attempted has no Ready condition, hence no series. */
function readyStatus(
  record: ExternalSecretRecord,
): 'True' | 'False' | undefined {
  switch (record.state) {
    case 'Synced':
    case 'NotFound':
      return 'True';
    case 'Error':
    case 'Unsupported':
      return 'False';
    default:
      // Pending with a reason is SecretMissing (Ready=True in ESO); without
      // one it was never attempted.
      return record.reason ? 'True' : undefined;
  }
}
