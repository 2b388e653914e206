/**
 * Values inside the template engine, modelled on what Go's text/template sees
 * in ESO: data values are Go strings (here: JS strings, or `Bytes` when they
 * are not valid UTF-8, so binary data survives `b64enc`), literals and `len`
 * are ints (JS numbers), JSON numbers are float64 (`Float64`).
 */
export class Float64 {
  constructor(readonly value: number) {}
}

/**
 * A Go time.Time (sprig's date functions): an instant, and the zone it is
 * shown in (`offsetMinutes` east of UTC, `zone` its abbreviation).
 */
export class GoTime {
  constructor(
    readonly ms: number,
    readonly zone = 'UTC',
    readonly offsetMinutes = 0,
    readonly nanos = 0,
  ) {}
}

/** A Go string that is not valid UTF-8. */
export class Bytes {
  constructor(readonly bytes: Uint8Array) {}
}

export type TValue =
  | string
  | Bytes
  | number
  | Float64
  | GoTime
  | boolean
  | null
  | TValue[]
  | TMap;
export type TMap = Map<string, TValue>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as a template value: a string when valid UTF-8, else `Bytes`. */
export function fromBytes(bytes: Uint8Array): string | Bytes {
  try {
    return utf8.decode(bytes);
  } catch {
    return new Bytes(bytes);
  }
}

export function toBytes(value: string | Bytes): Uint8Array {
  return typeof value === 'string'
    ? new TextEncoder().encode(value)
    : value.bytes;
}

export function typeName(value: TValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'string' || value instanceof Bytes) return 'string';
  if (typeof value === 'number') return 'int';
  if (value instanceof Float64) return 'float64';
  if (value instanceof GoTime) return 'time.Time';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map';
}

/** Go's template truth: false, 0, nil and empty strings/collections are false. */
export function isTruthy(value: TValue): boolean {
  if (value === null) return false;
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof Bytes) return value.bytes.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (value instanceof Float64) return value.value !== 0;
  if (value instanceof GoTime) return true;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  return value.size > 0;
}

/** Go's `%v` of a float64 (strconv 'g' with the shortest precision). */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** Go's `fmt.Sprint` of one value, as text or raw bytes. */
export function formatValue(value: TValue): string | Bytes {
  if (value === null) return '<no value>';
  if (typeof value === 'string' || value instanceof Bytes) return value;
  if (typeof value === 'number') return String(value);
  if (value instanceof Float64) return formatGoFloat(value.value);
  if (value instanceof GoTime) return formatGoTime(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return `[${value.map(v => formatText(v)).join(' ')}]`;
  const entries = [...value.entries()].sort(([a], [b]) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  return `map[${entries.map(([k, v]) => `${k}:${formatText(v)}`).join(' ')}]`;
}

function formatText(value: TValue): string {
  if (value === null) return '<nil>';
  const out = formatValue(value);
  return typeof out === 'string' ? out : new TextDecoder().decode(out.bytes);
}

/** Go's time.Time String(): `2006-01-02 15:04:05.999999999 -0700 MST`. */
function formatGoTime(t: GoTime): string {
  const local = new Date(t.ms + t.offsetMinutes * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = ((t.ms % 1000) * 1e6 + t.nanos)
    .toString()
    .padStart(9, '0')
    .replace(/0+$/, '');
  const off = Math.abs(t.offsetMinutes);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(
    local.getUTCDate(),
  )} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(
    local.getUTCSeconds(),
  )}${frac ? `.${frac}` : ''} ${t.offsetMinutes < 0 ? '-' : '+'}${pad(
    Math.floor(off / 60),
  )}${pad(off % 60)} ${t.zone}`;
}
