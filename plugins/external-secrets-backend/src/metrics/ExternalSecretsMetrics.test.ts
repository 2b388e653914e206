import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  PrometheusSample,
  PrometheusScrape,
  registerGlobalPrometheusExporter,
} from './__testUtils__/globalPrometheusExporter';

jest.setTimeout(60_000);

const RULES_FILE = resolve(
  __dirname,
  '../../../../docs/alerts/external-secrets-rules.yaml',
);
/**
 * Metrics the rules use that another package exports: the provider modules
 * count their own API calls (module-infisical's ProviderApiMetrics). The fake
 * provider this test runs has none.
 */
const PROVIDER_MODULE_METRICS = new Set([
  'externalsecret_provider_api_calls_count',
]);
const ID_LABELS = ['cluster', 'name', 'namespace', 'otel_scope_name'];

const exporter = registerGlobalPrometheusExporter();
const databases = createTestDatabases();

const ORDERS: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'orders' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

function externalSecret(name: string, remoteKey: string, status?: object) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: 'my-namespace',
      labels: { 'backstage.io/kubernetes-id': 'orders' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'demo-store' },
      target: { name },
      data: [{ secretKey: 'api-key', remoteRef: { key: remoteKey } }],
    },
    ...(status ? { status } : {}),
  };
}

const FAKE_STORE = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'demo-store' },
  spec: {
    provider: { fake: { data: [{ key: 'PRESENT', value: 'v1' }] } },
  },
};

function series(scrape: PrometheusScrape, name: string, esName?: string) {
  return scrape.samples.filter(
    s => s.name === name && (!esName || s.labels.name === esName),
  );
}

function valueOf(samples: PrometheusSample[], labels: Record<string, string>) {
  return samples.find(s =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

/** Metric names in a PromQL expression: identifiers that are not functions, keywords or labels. */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(
      /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g,
      ' ',
    );
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset']);
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])[a-zA-Z_:][\w:]*/g)) {
    const after = stripped.slice(match.index! + match[0].length);
    if (/^\s*\(/.test(after) || keywords.has(match[0])) continue;
    names.add(match[0]);
  }
  return [...names];
}

afterAll(async () => {
  await exporter.shutdown();
});

describe.each(databases.eachSupportedId())(
  'ExternalSecretsMetrics (%s)',
  databaseId => {
    let sim: KubernetesSimulator;
    let backend: ReconcilerTestBackend | undefined;

    beforeAll(async () => {
      sim = await startKubernetesSimulator();
    });

    afterAll(async () => {
      await sim.stop();
    });

    beforeEach(() => {
      sim.reset();
      sim.seed({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'my-namespace' },
      });
      sim.seed(FAKE_STORE);
    });

    afterEach(async () => {
      await backend?.stop();
      backend = undefined;
    });

    async function start(cluster?: { mode: string }) {
      backend = await startReconcilerTestBackend({
        sim,
        entities: [ORDERS],
        knex: await databases.init(databaseId as TestDatabaseId),
        cluster,
      });
      return backend;
    }

    it("should export ESO's metric names and types for a synced and a failing ExternalSecret", async () => {
      sim.seed(externalSecret('synced', 'PRESENT'));
      sim.seed(externalSecret('failing', 'ABSENT'));
      const { runCycle } = await start();
      const before = await exporter.scrape();

      await runCycle();
      const scrape = await exporter.scrape();

      expect(scrape.types.get('externalsecret_sync_calls_total')).toBe(
        'counter',
      );
      expect(scrape.types.get('externalsecret_sync_calls_error')).toBe('gauge');
      expect(scrape.types.get('externalsecret_status_condition')).toBe('gauge');
      expect(scrape.types.get('externalsecret_reconcile_duration')).toBe(
        'gauge',
      );
      expect(scrape.types.get('external_secrets_cycle_duration_seconds')).toBe(
        'histogram',
      );
      const idOf = (name: string) => ({
        name,
        namespace: 'my-namespace',
        cluster: 'test',
      });
      const calls = (s: PrometheusScrape, name: string) =>
        valueOf(series(s, 'externalsecret_sync_calls_total'), idOf(name)) ?? 0;
      expect(calls(scrape, 'synced') - calls(before, 'synced')).toBe(1);
      expect(calls(scrape, 'failing') - calls(before, 'failing')).toBe(1);
      const errors = (s: PrometheusScrape, name: string) =>
        valueOf(series(s, 'externalsecret_sync_calls_error'), idOf(name)) ?? 0;
      expect(errors(scrape, 'failing') - errors(before, 'failing')).toBe(1);
      expect(errors(scrape, 'synced')).toBe(0);
      const condition = series(scrape, 'externalsecret_status_condition');
      expect(
        ['synced', 'failing'].map(name => [
          valueOf(condition, {
            ...idOf(name),
            condition: 'Ready',
            status: 'True',
          }),
          valueOf(condition, {
            ...idOf(name),
            condition: 'Ready',
            status: 'False',
          }),
        ]),
      ).toEqual([
        [1, 0],
        [0, 1],
      ]);
      const durations = series(scrape, 'externalsecret_reconcile_duration');
      expect(valueOf(durations, idOf('synced'))).toBeGreaterThanOrEqual(0);
      expect(valueOf(durations, idOf('failing'))).toBeGreaterThanOrEqual(0);
      expect(
        valueOf(series(scrape, 'external_secrets_externalsecrets'), {
          cluster: 'test',
          mode: 'reconcile',
          state: 'Error',
        }),
      ).toBe(1);
    });

    it('should label ExternalSecret series with names only, never keys or values', async () => {
      sim.seed(externalSecret('synced', 'PRESENT'));
      sim.seed(externalSecret('failing', 'ABSENT'));
      const { runCycle } = await start();

      await runCycle();
      const scrape = await exporter.scrape();

      const esSeries = scrape.samples.filter(s =>
        s.name.startsWith('externalsecret_'),
      );
      expect(esSeries.length).toBeGreaterThan(0);
      for (const sample of esSeries) {
        expect(
          Object.keys(sample.labels).filter(
            k => !ID_LABELS.includes(k) && k !== 'condition' && k !== 'status',
          ),
        ).toEqual([]);
      }
      expect(scrape.text).not.toMatch(/PRESENT|ABSENT|api-key/);
    });

    it('should count a sync call only when the ExternalSecret was due, and every cycle in the histogram', async () => {
      sim.seed(externalSecret('synced', 'PRESENT'));
      const { runCycle } = await start();
      await runCycle();
      const first = await exporter.scrape();

      await runCycle();
      const second = await exporter.scrape();

      const id = { name: 'synced', cluster: 'test' };
      expect(
        valueOf(series(second, 'externalsecret_sync_calls_total'), id),
      ).toBe(valueOf(series(first, 'externalsecret_sync_calls_total'), id));
      const cycles = (s: PrometheusScrape) =>
        series(s, 'external_secrets_cycle_duration_seconds_count')[0]?.value;
      expect(cycles(second)).toBe(cycles(first)! + 1);
    });

    it('should zero the gauges of a failing ExternalSecret that no longer exists, so its alert resolves', async () => {
      sim.seed(externalSecret('synced', 'PRESENT'));
      sim.seed(externalSecret('going', 'ABSENT'));
      const { runCycle } = await start();
      await runCycle();
      const notReady = { name: 'going', status: 'False' };
      expect(
        valueOf(
          series(await exporter.scrape(), 'externalsecret_status_condition'),
          notReady,
        ),
      ).toBe(1);

      sim.remove({
        kind: 'ExternalSecret',
        namespace: 'my-namespace',
        name: 'going',
      });
      await runCycle();
      await exporter.scrape();
      const scrape = await exporter.scrape();

      const gone = [
        ...series(scrape, 'externalsecret_status_condition', 'going'),
        ...series(scrape, 'externalsecret_reconcile_duration', 'going'),
      ];
      expect(gone.length).toBeGreaterThan(0);
      expect(gone.map(s => s.value)).toEqual(gone.map(() => 0));
      expect(
        valueOf(series(scrape, 'external_secrets_externalsecrets'), {
          state: 'Error',
          mode: 'reconcile',
        }),
      ).toBe(0);
      expect(
        valueOf(series(scrape, 'externalsecret_status_condition', 'synced'), {
          status: 'True',
        }),
      ).toBe(1);
    });

    it("should leave an observed ExternalSecret's ESO series to the cluster's ESO and count it as observed", async () => {
      sim.seed(
        externalSecret('observed', 'PRESENT', {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'SecretSyncedError',
              message: 'could not get secret data from provider',
            },
          ],
        }),
      );
      const { runCycle } = await start({ mode: 'observe' });

      await runCycle();
      const scrape = await exporter.scrape();

      for (const name of [
        'externalsecret_sync_calls_total',
        'externalsecret_status_condition',
        'externalsecret_reconcile_duration',
      ]) {
        expect(series(scrape, name, 'observed')).toEqual([]);
      }
      expect(
        valueOf(series(scrape, 'external_secrets_externalsecrets'), {
          cluster: 'test',
          mode: 'observe',
          state: 'Error',
        }),
      ).toBe(1);
    });

    it('should expose every metric the alert rules use', async () => {
      sim.seed(externalSecret('synced', 'PRESENT'));
      sim.seed(externalSecret('failing', 'ABSENT'));
      const { runCycle } = await start();
      await runCycle();
      const exposed = new Set(
        (await exporter.scrape()).samples.map(s => s.name),
      );
      const rules = parseYaml(readFileSync(RULES_FILE, 'utf8')) as {
        groups: { rules: { alert: string; expr: string }[] }[];
      };

      const used = rules.groups
        .flatMap(g => g.rules)
        .flatMap(rule =>
          metricNamesIn(rule.expr).map(name => ({ alert: rule.alert, name })),
        );

      expect(used.map(u => u.name)).toEqual(
        expect.arrayContaining([
          'externalsecret_status_condition',
          'externalsecret_sync_calls_error',
          'externalsecret_sync_calls_total',
          'externalsecret_provider_api_calls_count',
        ]),
      );
      expect(
        used.filter(
          u => !exposed.has(u.name) && !PROVIDER_MODULE_METRICS.has(u.name),
        ),
      ).toEqual([]);
    });
  },
);
