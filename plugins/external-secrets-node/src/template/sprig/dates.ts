import { fail, text, toInt, type Fn } from '../functionSupport';
import { Float64, GoTime, type TValue } from '../values';
import { formatGoLayout, goZone, inZone, parseGoLayout } from './goTimeLayout';

/**
 * sprig's date functions (runtime/template/v2/sprig/date.go). Go's `Local`
 * zone is the controller's; ESO's image runs in UTC, so ours is UTC too.
 * Where sprig returns a zero time or the input unchanged on bad input
 * (toDate, dateModify), we fail, so a Secret never silently gets a wrong date.
 */
const UTC = goZone('UTC')!;

function zone(fn: string, name: TValue): ReturnType<typeof goZone> & object {
  const z = goZone(text(fn, name));
  return z ?? fail(`${fn}: unknown time zone ${text(fn, name)}`);
}

/** sprig's date argument: a time, or unix seconds (int); anything else is now. */
function timeOf(value: TValue): GoTime {
  if (value instanceof GoTime) return value;
  if (typeof value === 'number') return new GoTime(value * 1000);
  if (value instanceof Float64)
    return new GoTime(Math.trunc(value.value) * 1000);
  return now();
}

function now(): GoTime {
  return inZone(Date.now(), UTC);
}

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds. */
function parseDuration(fn: string, input: string): number {
  const m = /^([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(
    input,
  );
  if (!m && input !== '0')
    return fail(`${fn}: time: invalid duration "${input}"`);
  if (input === '0') return 0;
  let total = 0;
  for (const [, n, unit] of input.matchAll(
    /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g,
  ))
    total += Number(n) * UNITS[unit];
  return m![1] === '-' ? -total : total;
}

/** Go's time.Duration String() of whole seconds. */
function durationString(seconds: number): string {
  if (seconds === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

/** sprig's durationRound: the largest unit, rounded down (y, mo, d, h, m, s). */
function durationRound(value: TValue): string {
  let ms: number;
  if (value instanceof GoTime) ms = Date.now() - value.ms;
  else if (typeof value === 'string')
    ms = parseDuration('durationRound', value);
  else ms = toInt(value) / 1e6;
  const seconds = Math.abs(ms) / 1000;
  const units: [string, number][] = [
    ['y', 365 * 86400],
    ['mo', 30 * 86400],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ];
  for (const [unit, size] of units)
    if (seconds >= size) return `${Math.floor(seconds / size)}${unit}`;
  return `${Math.floor(seconds)}s`;
}

function toDate(fn: string, layout: TValue, value: TValue): GoTime {
  const parsed = parseGoLayout(text(fn, layout), text(fn, value), UTC);
  return (
    parsed ??
    fail(`${fn}: cannot parse "${text(fn, value)}" as "${text(fn, layout)}"`)
  );
}

function dateModify(fn: string, modifier: TValue, date: TValue): GoTime {
  const t = timeOf(date);
  const ms = t.ms + parseDuration(fn, text(fn, modifier));
  return new GoTime(ms, t.zone, t.offsetMinutes, t.nanos);
}

function format(layout: TValue, date: TValue, zoneName?: TValue): string {
  const t = timeOf(date);
  const z = zoneName === undefined ? UTC : zone('dateInZone', zoneName);
  return formatGoLayout(inZone(t.ms, z, t.nanos), text('date', layout));
}

export const DATE_FUNCTIONS: Record<string, Fn> = {
  now: { min: 0, max: 0, call: () => now() },
  date: { min: 2, max: 2, call: ([l, d]) => format(l, d) },
  dateInZone: { min: 3, max: 3, call: ([l, d, z]) => format(l, d, z) },
  date_in_zone: { min: 3, max: 3, call: ([l, d, z]) => format(l, d, z) },
  htmlDate: { min: 1, max: 1, call: ([d]) => format('2006-01-02', d) },
  htmlDateInZone: {
    min: 2,
    max: 2,
    call: ([d, z]) => format('2006-01-02', d, z),
  },
  toDate: { min: 2, max: 2, call: ([l, v]) => toDate('toDate', l, v) },
  mustToDate: { min: 2, max: 2, call: ([l, v]) => toDate('mustToDate', l, v) },
  dateModify: {
    min: 2,
    max: 2,
    call: ([m, d]) => dateModify('dateModify', m, d),
  },
  date_modify: {
    min: 2,
    max: 2,
    call: ([m, d]) => dateModify('date_modify', m, d),
  },
  mustDateModify: {
    min: 2,
    max: 2,
    call: ([m, d]) => dateModify('mustDateModify', m, d),
  },
  must_date_modify: {
    min: 2,
    max: 2,
    call: ([m, d]) => dateModify('must_date_modify', m, d),
  },
  unixEpoch: {
    min: 1,
    max: 1,
    call: ([d]) => String(Math.floor(timeOf(d).ms / 1000)),
  },
  ago: {
    min: 1,
    max: 1,
    call: ([d]) =>
      durationString(Math.round((Date.now() - timeOf(d).ms) / 1000)),
  },
  duration: {
    min: 1,
    max: 1,
    call: ([s]) =>
      durationString(typeof s === 'string' ? Number(s) || 0 : toInt(s)),
  },
  durationRound: { min: 1, max: 1, call: ([v]) => durationRound(v) },
};
