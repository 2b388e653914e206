/**
 * Go's `time.Duration.String()`, so durations we show read exactly as ESO and
 * kubectl print them (`1h0m0s`, `1m30s`, `500ms`, `0s`).
 */

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const NANOS_PER_SECOND = 1_000_000_000n;

/** Go's `fmtFrac`: `.ddd` without trailing zeros, and the integer part. */
function splitFraction(
  value: bigint,
  precision: number,
): { int: bigint; frac: string } {
  const divisor = 10n ** BigInt(precision);
  const fraction = (value % divisor).toString().padStart(precision, '0');
  const trimmed = fraction.replace(/0+$/, '');
  return { int: value / divisor, frac: trimmed ? `.${trimmed}` : '' };
}

function formatBelowOneSecond(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  if (nanos < 1_000n) return `${nanos}ns`;
  if (nanos < 1_000_000n) {
    const { int, frac } = splitFraction(nanos, 3);
    return `${int}${frac}\u00b5s`;
  }
  const { int, frac } = splitFraction(nanos, 6);
  return `${int}${frac}ms`;
}

function formatFromOneSecond(nanos: bigint): string {
  const { int: totalSeconds, frac } = splitFraction(nanos, 9);
  const seconds = `${totalSeconds % 60n}${frac}s`;
  const totalMinutes = totalSeconds / 60n;
  if (totalMinutes === 0n) return seconds;
  const minutes = `${totalMinutes % 60n}m${seconds}`;
  const hours = totalMinutes / 60n;
  // Go stops at hours because days can be different lengths.
  return hours === 0n ? minutes : `${hours}h${minutes}`;
}

/** Formats nanoseconds exactly as Go's `time.Duration.String()`. */
export function formatGoDurationNanos(nanos: bigint): string {
  let clamped = nanos;
  if (clamped > MAX_INT64) clamped = MAX_INT64;
  if (clamped < MIN_INT64) clamped = MIN_INT64;
  const negative = clamped < 0n;
  const magnitude = negative ? -clamped : clamped;
  const text =
    magnitude < NANOS_PER_SECOND
      ? formatBelowOneSecond(magnitude)
      : formatFromOneSecond(magnitude);
  return negative ? `-${text}` : text;
}

function millisToNanos(ms: number): bigint {
  const whole = Math.trunc(ms);
  const fractionNanos = Math.round((ms - whole) * 1e6);
  return BigInt(whole) * 1_000_000n + BigInt(fractionNanos);
}

/**
 * Formats a duration in milliseconds the way Go's `time.Duration.String()`
 * does: `3_600_000` → `1h0m0s`, `90_000` → `1m30s`, `500` → `500ms`,
 * `0` → `0s`, `0.0015` → `1.5µs`.
 *
 * Sub-millisecond fractions are rounded to whole nanoseconds; values beyond
 * Go's int64 nanosecond range are clamped to it, as Go cannot represent them.
 *
 * @param ms - a finite number of milliseconds (may be negative).
 * @throws RangeError when `ms` is NaN or infinite.
 * @example
 * ```ts
 * formatGoDuration(parseGoDuration('90m')!); // '1h30m0s'
 * ```
 * @public
 */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    throw new RangeError(
      `formatGoDuration: expected a finite number of milliseconds, got ${ms}`,
    );
  }
  return formatGoDurationNanos(millisToNanos(ms));
}
