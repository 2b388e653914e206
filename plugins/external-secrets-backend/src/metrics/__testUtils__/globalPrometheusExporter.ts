import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';

/** One series of a scrape: its name, labels and value. */
export type PrometheusSample = {
  name: string;
  labels: Record<string, string>;
  value: number;
};

/** A parsed Prometheus text exposition. */
export type PrometheusScrape = {
  text: string;
  /** `# TYPE` lines: metric family name → counter | gauge | histogram | ... */
  types: Map<string, string>;
  samples: PrometheusSample[];
};

/**
 * What an adopter's `instrumentation.js` does, inside a test: a global
 * OpenTelemetry MeterProvider with the Prometheus exporter, scraped over HTTP
 * through the exporter's own request handler (no port is opened). Register it
 * before the backend starts: instruments created earlier stay no-ops.
 */
export function registerGlobalPrometheusExporter() {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({
    // The exporter bundles its own copy of sdk-metrics; the reader contract is the same.
    readers: [exporter as unknown as MetricReader],
  });
  metrics.setGlobalMeterProvider(provider);
  return {
    async scrape(): Promise<PrometheusScrape> {
      const response = await request(
        (req: IncomingMessage, res: ServerResponse) =>
          exporter.getMetricsRequestHandler(req, res),
      ).get('/metrics');
      if (response.status !== 200) {
        throw new Error(`metrics scrape answered ${response.status}`);
      }
      return parsePrometheusText(response.text);
    },
    async shutdown() {
      metrics.disable();
      await provider.shutdown();
    },
  };
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format (version 0.0.4) the exporter serves. */
export function parsePrometheusText(text: string): PrometheusScrape {
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(LABEL)) {
      labels[key] = value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { text, types, samples };
}
