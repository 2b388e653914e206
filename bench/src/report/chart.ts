/**
 * docs/benchmarks/chart.svg, drawn by hand (no charting dependency): four
 * panels over the entity counts, each with its target as a dashed line.
 */
import type { BenchResults, SizeResult } from '../results';

const WIDTH = 960;
const HEIGHT = 770;
const PANEL_W = 440;
const PANEL_H = 260;
const COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
];

type Point = { x: number; y: number };
type Series = { name: string; points: Point[]; color: string };
type Box = { left: number; top: number; width: number; height: number };

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(
  x: number,
  y: number,
  content: string,
  attrs: Record<string, string | number> = {},
) {
  const a = Object.entries({ 'font-size': 11, fill: '#333', ...attrs })
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${a}>${esc(
    content,
  )}</text>`;
}

function niceLogTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (
    let e = Math.floor(Math.log10(min));
    e <= Math.ceil(Math.log10(max));
    e++
  ) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min * 0.999 && v <= max * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

function niceLinearTicks(max: number): number[] {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step =
    [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw) ?? raw;
  const ticks: number[] = [0];
  while (ticks[ticks.length - 1] < max) {
    ticks.push(Math.round((ticks[ticks.length - 1] + step) * 1000) / 1000);
  }
  return ticks;
}

function format(v: number) {
  if (v >= 1000) return `${v / 1000}k`;
  return String(v);
}

/** A panel with log x (entities) and log or linear y; lines or grouped bars. */
function panel(options: {
  box: Box;
  title: string;
  yLabel: string;
  xs: number[];
  series: Series[];
  kind: 'line' | 'bars';
  yLog: boolean;
  target?: { value: number; label: string };
}): string {
  const { box, xs, series, kind, yLog, target } = options;
  const plot = {
    left: box.left + 52,
    top: box.top + 28,
    width: box.width - 62,
    height: box.height - 104,
  };
  const values = series
    .flatMap(s => s.points.map(p => p.y))
    .concat(target ? [target.value] : [])
    .filter(v => Number.isFinite(v) && (!yLog || v > 0));
  const out: string[] = [];
  out.push(
    text(box.left + box.width / 2, box.top + 14, options.title, {
      'font-size': 13,
      'font-weight': 'bold',
      'text-anchor': 'middle',
    }),
  );
  if (values.length === 0 || xs.length === 0) {
    out.push(text(plot.left + 10, plot.top + 20, 'no data'));
    return out.join('\n');
  }
  let yMin = yLog ? Math.min(...values) / 1.5 : 0;
  let yMax = Math.max(...values) * (yLog ? 1.8 : 1.15);
  if (yLog) {
    yMin = 10 ** Math.floor(Math.log10(yMin));
    yMax = 10 ** Math.ceil(Math.log10(yMax));
  }
  const yTicks = yLog ? niceLogTicks(yMin, yMax) : niceLinearTicks(yMax);
  if (!yLog) yMax = yTicks[yTicks.length - 1] || yMax;
  const yPos = (v: number) =>
    plot.top +
    plot.height -
    (yLog
      ? ((Math.log10(v) - Math.log10(yMin)) /
          (Math.log10(yMax) - Math.log10(yMin))) *
        plot.height
      : ((v - yMin) / (yMax - yMin)) * plot.height);
  const slot = plot.width / xs.length;
  const xMid = (i: number) => plot.left + slot * (i + 0.5);
  const xLog = (x: number) => {
    const lo = Math.log10(xs[0]) - 0.3;
    const hi = Math.log10(xs[xs.length - 1]) + 0.3;
    return plot.left + ((Math.log10(x) - lo) / (hi - lo)) * plot.width;
  };
  const xPos = (x: number, i: number) =>
    kind === 'line' && xs.length > 1 ? xLog(x) : xMid(i);

  out.push(
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="#fafafa" stroke="#ccc"/>`,
  );
  for (const t of yTicks) {
    const y = yPos(t);
    if (y < plot.top - 0.5 || y > plot.top + plot.height + 0.5) continue;
    out.push(
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${y.toFixed(
        1,
      )}" y2="${y.toFixed(1)}" stroke="#e3e3e3"/>`,
      text(plot.left - 5, y + 4, format(t), {
        'text-anchor': 'end',
        'font-size': 10,
      }),
    );
  }
  xs.forEach((x, i) =>
    out.push(
      text(xPos(x, i), plot.top + plot.height + 14, format(x), {
        'text-anchor': 'middle',
        'font-size': 10,
      }),
    ),
  );
  out.push(
    text(
      plot.left + plot.width / 2,
      plot.top + plot.height + 28,
      'entities (one ExternalSecret, 10 keys each)',
      {
        'text-anchor': 'middle',
        'font-size': 10,
      },
    ),
    `<text transform="translate(${box.left + 12},${
      plot.top + plot.height / 2
    }) rotate(-90)" font-size="10" fill="#333" text-anchor="middle">${esc(
      options.yLabel,
    )}</text>`,
  );
  if (kind === 'line') {
    for (const s of series) {
      const pts = s.points
        .map(p => ({ ...p, i: xs.indexOf(p.x) }))
        .filter(p => Number.isFinite(p.y) && (!yLog || p.y > 0));
      if (pts.length > 1) {
        out.push(
          `<polyline fill="none" stroke="${
            s.color
          }" stroke-width="2" points="${pts
            .map(p => `${xPos(p.x, p.i).toFixed(1)},${yPos(p.y).toFixed(1)}`)
            .join(' ')}"/>`,
        );
      }
      for (const p of pts) {
        out.push(
          `<circle cx="${xPos(p.x, p.i).toFixed(1)}" cy="${yPos(p.y).toFixed(
            1,
          )}" r="3.5" fill="${s.color}"><title>${esc(
            `${s.name}: ${p.y} at ${p.x} entities`,
          )}</title></circle>`,
        );
      }
    }
  } else {
    const barWidth = (slot * 0.8) / series.length;
    series.forEach((s, j) => {
      for (const p of s.points) {
        const i = xs.indexOf(p.x);
        if (i < 0 || !Number.isFinite(p.y) || (yLog && p.y <= 0)) continue;
        const x = plot.left + slot * i + slot * 0.1 + barWidth * j;
        const y = yPos(p.y);
        const base = plot.top + plot.height;
        out.push(
          `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(
            barWidth - 1
          ).toFixed(1)}" height="${Math.max(0, base - y).toFixed(1)}" fill="${
            s.color
          }"><title>${esc(
            `${s.name}: ${p.y} at ${p.x} entities`,
          )}</title></rect>`,
          text(x + barWidth / 2, y - 3, format(Math.round(p.y * 10) / 10), {
            'text-anchor': 'middle',
            'font-size': 9,
          }),
        );
      }
    });
  }
  if (target && target.value > yMin && target.value < yMax) {
    const y = yPos(target.value);
    out.push(
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${y.toFixed(
        1,
      )}" y2="${y.toFixed(1)}" stroke="#d62728" stroke-dasharray="5,4"/>`,
      `<rect x="${
        plot.left + plot.width - 6 - target.label.length * 5.2
      }" y="${(y - 15).toFixed(1)}" width="${
        target.label.length * 5.2 + 4
      }" height="13" fill="#fff" opacity="0.85"/>`,
      text(plot.left + plot.width - 4, y - 5, target.label, {
        'text-anchor': 'end',
        'font-size': 10,
        fill: '#d62728',
      }),
    );
  }
  // Legend.
  series.forEach((s, j) => {
    const lx = plot.left + (j % 2) * 190;
    const ly = plot.top + plot.height + 48 + Math.floor(j / 2) * 14;
    out.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${
        s.color
      }"/>`,
      text(lx + 14, ly + 1, s.name, { 'font-size': 10 }),
    );
  });
  return out.join('\n');
}

function seriesOf(
  sizes: SizeResult[],
  entries: [string, (s: SizeResult) => number | undefined][],
): Series[] {
  return entries.map(([name, pick], i) => ({
    name,
    color: COLORS[i % COLORS.length],
    points: sizes
      .map(s => ({ x: s.entities, y: pick(s) ?? NaN }))
      .filter(p => Number.isFinite(p.y)),
  }));
}

export function renderChart(results: BenchResults): string {
  const sizes = results.sizes.filter(s => s.cycles.cold);
  const xs = sizes.map(s => s.entities);
  const latency = results.parameters.latencyMs;
  const controlsHeight = 86;
  const boxes: Box[] = [
    { left: 20, top: 44, width: PANEL_W, height: PANEL_H + controlsHeight },
    { left: 500, top: 44, width: PANEL_W, height: PANEL_H + controlsHeight },
    { left: 20, top: 410, width: PANEL_W, height: PANEL_H + controlsHeight },
    { left: 500, top: 410, width: PANEL_W, height: PANEL_H + controlsHeight },
  ];
  const apiSeries: [string, (s: SizeResult) => number | undefined][] = [
    ['SQLite p50', s => s.api.sqlite?.latencyMs.p50],
    ['SQLite p95', s => s.api.sqlite?.latencyMs.p95],
    ['SQLite p99', s => s.api.sqlite?.latencyMs.p99],
  ];
  if (sizes.some(s => s.api.postgres)) {
    apiSeries.push(
      ['PostgreSQL p50', s => s.api.postgres?.latencyMs.p50],
      ['PostgreSQL p95', s => s.api.postgres?.latencyMs.p95],
      ['PostgreSQL p99', s => s.api.postgres?.latencyMs.p99],
    );
  }
  const body = [
    panel({
      box: boxes[0],
      title: `Reconcile cycle wall time (${latency} ms latency)`,
      yLabel: 'seconds (log)',
      xs,
      kind: 'line',
      yLog: true,
      target: { value: 5, label: 'target: 5 s at 1,000 entities' },
      series: seriesOf(sizes, [
        ['cold (creates all)', s => sec(s.cycles.cold?.wallMs)],
        ['refresh (all due)', s => sec(s.cycles.refresh?.wallMs)],
        ['idle (nothing due)', s => sec(s.cycles.idle?.wallMs)],
        ['change (1 value)', s => sec(s.cycles.change?.wallMs)],
      ]),
    }),
    panel({
      box: boxes[1],
      title: 'Infisical API calls per full refresh',
      yLabel: 'calls (log)',
      xs,
      kind: 'bars',
      yLog: true,
      series: seriesOf(sizes, [
        [
          'this plugin (measured)',
          s => s.cycles.refresh?.counts.infisical.total,
        ],
        ["ESO's pattern (computed)", s => s.eso.total],
      ]),
    }),
    panel({
      box: boxes[2],
      title: 'Memory and event loop',
      yLabel: 'MB / ms (log)',
      xs,
      kind: 'line',
      yLog: true,
      target: { value: 400, label: 'RSS target: 400 MB' },
      series: seriesOf(sizes, [
        ['peak RSS, MB', s => s.peakRssMb],
        ['RSS after boot, MB', s => s.rssAfterStartMb],
        ['max event-loop delay, ms', s => maxLoop(s)],
      ]),
    }),
    panel({
      box: boxes[3],
      title: `Status API latency, ${results.parameters.apiConnections} concurrent clients`,
      yLabel: 'ms',
      xs,
      kind: 'bars',
      yLog: false,
      target: { value: 50, label: 'p95 target: 50 ms' },
      series: seriesOf(sizes, apiSeries),
    }),
  ];
  const subtitle = `${results.parameters.scopes} scopes, ${
    results.parameters.keysPerEntity
  } keys per ExternalSecret, ${latency} ms per simulated request; ${
    results.machine.nproc
  } CPUs, Node ${results.machine.node}; ${results.generatedAt.slice(0, 10)}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(WIDTH / 2, 20, 'External Secrets reconciler benchmark', {
      'font-size': 16,
      'font-weight': 'bold',
      'text-anchor': 'middle',
    }),
    text(WIDTH / 2, 36, subtitle, {
      'text-anchor': 'middle',
      'font-size': 11,
      fill: '#666',
    }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function sec(ms: number | undefined) {
  return ms === undefined ? undefined : Math.round(ms / 10) / 100;
}

function maxLoop(s: SizeResult) {
  const loops = Object.values(s.cycles)
    .filter(Boolean)
    .map(c => c!.eventLoop.maxMs);
  return loops.length ? Math.max(...loops) : undefined;
}
