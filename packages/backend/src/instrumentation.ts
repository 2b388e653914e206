/*
 * Exports the backend's OpenTelemetry metrics (the External Secrets plugin's
 * ESO-named metrics among them) for Prometheus on http://127.0.0.1:9464/metrics
 * (METRICS_PORT to change it, METRICS_PORT=0 to turn it off). Imported first in
 * index.ts so the MeterProvider exists before plugins create their meters.
 */
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

const port = Number(process.env.METRICS_PORT ?? 9464);
if (port > 0) {
  const exporter = new PrometheusExporter({ host: '127.0.0.1', port });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
}
