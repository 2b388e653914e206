/** The results as Markdown tables (printed by `yarn bench` and embedded in the README). */
import { round } from '../analysis/stats';
import type { BenchResults, PerMinute, SizeResult } from '../results';
import type { CycleMeasurement } from '../runner/measureCycle';

type Row = [string, (s: SizeResult) => string | number | undefined];

const s2 = (ms: number | undefined) =>
  ms === undefined ? undefined : round(ms / 1000, 2);

function calls(c: CycleMeasurement | undefined) {
  const i = c?.counts.infisical;
  if (!i) return undefined;
  return `${i.total} (${i.logins} login, ${i.projectLookups} project, ${i.lists} list / ${i.notModified} 304, ${i.singleReads} single)`;
}

function kube(c: CycleMeasurement | undefined) {
  const k = c?.counts.kubernetes;
  return k ? `${k.reads} / ${k.writes}` : undefined;
}

function latency(samples: number[] | undefined): string | undefined {
  if (!samples?.length) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${Math.round(median)} / ${Math.round(sorted[sorted.length - 1])}`;
}

function worstLoop(s: SizeResult) {
  const cycles = Object.values(s.cycles).filter(Boolean) as CycleMeasurement[];
  if (!cycles.length) return undefined;
  return `${Math.max(...cycles.map(c => c.eventLoop.maxMs))} / ${Math.max(
    ...cycles.map(c => c.eventLoop.p99Ms),
  )}`;
}

function api(s: SizeResult, db: keyof SizeResult['api']) {
  const a = s.api[db];
  if (!a) return undefined;
  return `${a.latencyMs.p50} / ${a.latencyMs.p95} / ${a.latencyMs.p99} ms, ${
    a.requestsPerSecond
  }/s${a.notModified !== undefined ? `, ${a.notModified} × 304` : ''}${
    a.non2xx ? ` (${a.non2xx} non-2xx)` : ''
  }`;
}

const ROWS: Row[] = [
  [
    'ExternalSecrets / mappings / namespaces',
    s => `${s.externalSecrets} / ${s.mappings} / ${s.namespaces}`,
  ],
  ['Cycle wall time, s: cold (creates all)', s => s2(s.cycles.cold?.wallMs)],
  ['… idle (1 min later, nothing due)', s => s2(s.cycles.idle?.wallMs)],
  ['… refresh (all due, nothing changed)', s => s2(s.cycles.refresh?.wallMs)],
  ['… change (all due, 1 value changed)', s => s2(s.cycles.change?.wallMs)],
  [
    'CPU s in cycle: cold / refresh',
    s =>
      `${s2(s.cycles.cold?.cpuMs) ?? '–'} / ${
        s2(s.cycles.refresh?.cpuMs) ?? '–'
      }`,
  ],
  ['Infisical calls, cold cycle', s => calls(s.cycles.cold)],
  ['Infisical calls, idle cycle', s => calls(s.cycles.idle)],
  ['Infisical calls, refresh cycle', s => calls(s.cycles.refresh)],
  [
    'ESO per refresh, measured pattern: 12 Infisical requests (login, 1 GET per key, revoke) per ExternalSecret',
    s => s.eso.total,
  ],
  [
    'ESO status writes per refresh (measured: 1 per ExternalSecret) / ours',
    s =>
      s.cycles.refresh
        ? `${s.externalSecrets} / ${
            s.cycles.refresh.counts.kubernetes.byVerbAndResource[
              'update externalsecrets/status'
            ] ?? 0
          }`
        : undefined,
  ],
  [
    'Ratio ESO / ours (refresh cycle)',
    s =>
      s.cycles.refresh
        ? `${round(s.eso.total / s.cycles.refresh.counts.infisical.total, 0)}×`
        : undefined,
  ],
  ['Kubernetes reads / writes: cold', s => kube(s.cycles.cold)],
  ['… idle', s => kube(s.cycles.idle)],
  ['… refresh', s => kube(s.cycles.refresh)],
  ['… change', s => kube(s.cycles.change)],
  ['Event-loop delay max / p99, ms (worst cycle)', worstLoop],
  [
    'After a full GC: live heap / heap reserved / RSS, MB',
    s =>
      s.liveHeapMb === undefined
        ? undefined
        : `${s.liveHeapMb} / ${s.heapCommittedMb ?? '–'} / ${s.rssAfterGcMb}`,
  ],
  [
    'Peak RSS, MB (after boot)',
    s =>
      s.peakRssMb === undefined
        ? undefined
        : `${s.peakRssMb} (${s.rssAfterStartMb})`,
  ],
  [
    'Watches, tick 10 min: apply → Secret, ms (median / max of 5)',
    s => latency(s.events?.applyMs),
  ],
  [
    '… delete Secret → healed, ms (median / max of 5)',
    s => latency(s.events?.healMs),
  ],
  ['Status API p50 / p95 / p99, SQLite', s => api(s, 'sqlite')],
  ['Status API p50 / p95 / p99, PostgreSQL', s => api(s, 'postgres')],
  ['… polling with If-None-Match, SQLite', s => api(s, 'sqliteConditional')],
  [
    '… polling with If-None-Match, PostgreSQL',
    s => api(s, 'postgresConditional'),
  ],
  [
    'Status API backend CPU per request, ms: SQLite / PostgreSQL',
    s =>
      s.api.sqlite?.backendCpuMsPerRequest === undefined
        ? undefined
        : `${s.api.sqlite.backendCpuMsPerRequest} / ${
            s.api.postgres?.backendCpuMsPerRequest ?? '–'
          }`,
  ],
  [
    'PostgreSQL takeover cycle (fills the DB), s',
    s => s2(s.api.postgres?.fill.wallMs),
  ],
  [
    'Change → all dependent Secrets rewritten (cycle part), s',
    s =>
      s.propagation
        ? `${s2(s.propagation.allSecretsMs) ?? 'timeout'} (${
            s.propagation.updated
          }/${s.propagation.dependents} Secrets)`
        : undefined,
  ],
  ['Incomplete', s => s.incomplete],
];

export function markdownTable(
  header: string[],
  rows: (string | number | undefined)[][],
) {
  const cell = (v: string | number | undefined) =>
    v === undefined || v === '' ? '–' : String(v).replace(/\|/g, '\\|');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map(r => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function sizesTable(results: BenchResults): string {
  const header = ['entities →', ...results.sizes.map(s => String(s.entities))];
  const rows = ROWS.filter(([, pick]) =>
    results.sizes.some(s => pick(s) !== undefined),
  ).map(([label, pick]) => [label, ...results.sizes.map(pick)]);
  return markdownTable(header, rows);
}

const perMinute = (p: PerMinute) =>
  `${p.secret} / ${p.read} / ${p.write} / ${p.total}`;

export function quotaTable(results: BenchResults): string | undefined {
  const q = results.quota;
  if (!q) return undefined;
  return markdownTable(
    ['requests/min (secret / read / write / all)', 'ours', "ESO's pattern"],
    [
      [
        'Infisical Free plan limit',
        perMinute(q.freePlanPerMinute),
        perMinute(q.freePlanPerMinute),
      ],
      [
        'refreshInterval 1h: worst minute',
        perMinute(q.refreshHourly.ours.max),
        `${perMinute(q.refreshHourly.esoBurst)} (all due in one minute)`,
      ],
      [
        'refreshInterval 1h: average minute',
        perMinute(q.refreshHourly.ours.mean),
        `${perMinute(q.refreshHourly.esoSpread)} (spread evenly)`,
      ],
      [
        'every ExternalSecret refreshed at every 1-min tick: worst minute',
        perMinute(q.refreshEveryTick.ours.max),
        perMinute(q.refreshEveryTick.eso),
      ],
      [
        '… average minute',
        perMinute(q.refreshEveryTick.ours.mean),
        perMinute(q.refreshEveryTick.eso),
      ],
    ],
  );
}

const MODE_LABELS = {
  none: 'none (refreshInterval 1h only)',
  webhook: 'webhook (signed secrets.modified)',
  poll: 'poll (pollInterval 1m, ETag)',
} as const;

/** Seconds, or minutes from two minutes on. */
export const durationText = (ms?: number) => {
  if (ms === undefined) return undefined;
  return ms >= 120_000
    ? `${round(ms / 60_000, 1)} min`
    : `${round(ms / 1000, 1)} s`;
};

export function propagationTable(results: BenchResults): string | undefined {
  const p = results.propagation;
  if (!p) return undefined;
  return markdownTable(
    [
      'mode',
      'Infisical requests/min, average (secret / read / write / all)',
      'worst minute',
      'requests in the hour',
      'cycles triggered',
      'changes propagated',
      'change → Secret: median / max',
      'of which the cycle (real time): median / max',
    ],
    p.modes.map(m => [
      MODE_LABELS[m.mode],
      perMinute(m.perMinute.mean),
      perMinute(m.perMinute.max),
      m.requestsInHour,
      m.mode === 'webhook' ? m.triggeredCycles : '–',
      `${m.propagated}/${p.changes}`,
      m.latencyMs
        ? `${durationText(m.latencyMs.median)} / ${durationText(
            m.latencyMs.max,
          )}`
        : undefined,
      m.cyclePartMs
        ? `${durationText(m.cyclePartMs.median)} / ${durationText(
            m.cyclePartMs.max,
          )}`
        : undefined,
    ]),
  );
}

export function growthTable(results: BenchResults): string {
  const g = results.growth;
  const row = (label: string, f?: { exponent: number; r2: number }) => [
    label,
    f ? f.exponent : undefined,
    f ? f.r2 : undefined,
  ];
  return markdownTable(
    ['grows as entities^b', 'b', 'R²'],
    [
      row('cold cycle wall time', g.coldWallTime),
      row('idle cycle wall time', g.idleWallTime),
      row('refresh cycle wall time', g.refreshWallTime),
      row('peak RSS', g.peakRss),
      row('peak RSS above the after-boot RSS', g.rssAboveBaseline),
    ],
  );
}

function verdictLabel(met: boolean | undefined): string {
  if (met === undefined) return 'not measured';
  return met ? '**met**' : '**missed**';
}

export function targetsTable(results: BenchResults): string {
  return markdownTable(
    ['target', 'verdict', 'measured', 'cause'],
    results.targets.map(t => [
      t.target,
      verdictLabel(t.met),
      t.measured,
      t.cause,
    ]),
  );
}

/** What `yarn bench` prints. */
export function renderTable(results: BenchResults): string {
  return [
    sizesTable(results),
    '',
    growthTable(results),
    '',
    quotaTable(results) ?? '(no quota comparison: the hour run did not happen)',
    '',
    propagationTable(results) ?? '(no propagation hours in this run)',
    '',
    targetsTable(results),
  ].join('\n');
}
