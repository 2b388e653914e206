/**
 * Go's `time.ParseDuration`, ported rule for rule (including its int64 overflow
 * checks and its float64 arithmetic for fractions), so that a manifest accepted or
 * rejected by ESO is accepted or rejected here too.
 */

/** Largest magnitude Go accepts while accumulating: 1<<63. */
const TWO_POW_63 = 1n << 63n;
const MAX_INT64 = TWO_POW_63 - 1n;

/** Go's `unitMap`; both micro signs (U+00B5 and U+03BC) are accepted. */
const UNIT_NANOS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const isDigit = (c: string | undefined) =>
  c !== undefined && c >= '0' && c <= '9';

/** Go's `leadingInt`: consumes `[0-9]*`; undefined on overflow. */
function leadingInt(s: string): { x: bigint; rest: string } | undefined {
  let x = 0n;
  let i = 0;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (x > TWO_POW_63 / 10n) return undefined;
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > TWO_POW_63) return undefined;
  }
  return { x, rest: s.slice(i) };
}

/** Go's `leadingFraction`: consumes `[0-9]*`, silently dropping precision past int64. */
function leadingFraction(s: string): {
  f: bigint;
  scale: number;
  rest: string;
} {
  let f = 0n;
  let scale = 1;
  let overflow = false;
  let i = 0;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (overflow) continue;
    if (f > MAX_INT64 / 10n) {
      overflow = true;
      continue;
    }
    const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
    if (y > TWO_POW_63) {
      overflow = true;
      continue;
    }
    f = y;
    scale *= 10;
  }
  return { f, scale, rest: s.slice(i) };
}

/** One `[0-9]*(\.[0-9]*)?unit` component, in nanoseconds; undefined when invalid. */
function parseComponent(
  s: string,
): { nanos: bigint; rest: string } | undefined {
  if (!(s[0] === '.' || isDigit(s[0]))) return undefined;
  const int = leadingInt(s);
  if (!int) return undefined;
  const hasIntDigits = int.rest.length !== s.length;
  let rest = int.rest;
  let fraction = { f: 0n, scale: 1 };
  let hasFractionDigits = false;
  if (rest[0] === '.') {
    const parsed = leadingFraction(rest.slice(1));
    hasFractionDigits = parsed.rest.length !== rest.length - 1;
    fraction = parsed;
    rest = parsed.rest;
  }
  if (!hasIntDigits && !hasFractionDigits) return undefined;

  let unitEnd = 0;
  while (
    unitEnd < rest.length &&
    rest[unitEnd] !== '.' &&
    !isDigit(rest[unitEnd])
  ) {
    unitEnd++;
  }
  const unit = UNIT_NANOS.get(rest.slice(0, unitEnd));
  if (unit === undefined) return undefined;

  if (int.x > TWO_POW_63 / unit) return undefined;
  let nanos = int.x * unit;
  if (fraction.f > 0n) {
    // Go computes this in float64 ("nanosecond accurate for fractions of hours").
    const extra = Number(fraction.f) * (Number(unit) / fraction.scale);
    nanos += BigInt(Math.trunc(extra));
    if (nanos > TWO_POW_63) return undefined;
  }
  return { nanos, rest: rest.slice(unitEnd) };
}

/**
 * Parses a Go duration (`time.ParseDuration`) into nanoseconds.
 * Returns undefined for anything Go rejects.
 */
export function parseGoDurationNanos(text: string): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;

  let total = 0n;
  while (s !== '') {
    const component = parseComponent(s);
    if (!component) return undefined;
    total += component.nanos;
    if (total > TWO_POW_63) return undefined;
    s = component.rest;
  }
  if (negative) return -total;
  return total > MAX_INT64 ? undefined : total;
}

/**
 * Parses a Go duration string exactly as Go's `time.ParseDuration` does
 * (units `ns`, `us`, `µs`, `ms`, `s`, `m`, `h`; fractions such as `1.5h`;
 * sequences such as `1h30m`; an optional sign; a bare `0`).
 *
 * @param text - the duration as written, e.g. `1h`, `90m`, `1h30m0s`.
 * @returns the duration in milliseconds (fractional below 1ms), or
 * `undefined` when Go would reject the text (empty, a bare number other than `0`,
 * an unknown unit such as `1d`, spaces, or a value outside Go's int64 nanoseconds).
 * @example
 * ```ts
 * parseGoDuration('1h30m'); // 5_400_000
 * parseGoDuration('1d'); // undefined
 * ```
 * @public
 */
export function parseGoDuration(text: string): number | undefined {
  const nanos = parseGoDurationNanos(text);
  return nanos === undefined ? undefined : nanosToMillis(nanos);
}

/** Exact for whole milliseconds; the sub-millisecond part is a float fraction. */
function nanosToMillis(nanos: bigint): number {
  const wholeMillis = nanos / 1_000_000n;
  const restNanos = nanos % 1_000_000n;
  return Number(wholeMillis) + Number(restNanos) / 1e6;
}
