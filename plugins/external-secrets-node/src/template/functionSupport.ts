import { formatGoLayout } from './sprig/goTimeLayout';
import {
  Bytes,
  Float64,
  GoTime,
  formatValue,
  toBytes,
  typeName,
  type TValue,
} from './values';

/** A template function failed; the evaluator adds the position. */
export class FunctionFailure extends Error {}

export type Fn = {
  min: number;
  max: number;
  call: (args: TValue[]) => TValue;
};

export function fail(message: string): never {
  throw new FunctionFailure(message);
}

export function text(fn: string, value: TValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Bytes)
    return fail(`${fn}: the value is binary (not UTF-8 text)`);
  return fail(`${fn}: expected a string, got ${typeName(value)}`);
}

export function stringish(fn: string, value: TValue): string | Bytes {
  if (typeof value === 'string' || value instanceof Bytes) return value;
  return fail(`${fn}: expected a string, got ${typeName(value)}`);
}

export function int(fn: string, value: TValue): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return fail(`${fn}: expected an integer, got ${typeName(value)}`);
}

/** sprig's `strval`: strings as they are, everything else as Go prints it. */
export function strval(value: TValue): string | Bytes {
  return formatValue(value);
}

export function asText(value: string | Bytes): string {
  return typeof value === 'string'
    ? value
    : new TextDecoder().decode(value.bytes);
}

export function list(fn: string, value: TValue): TValue[] {
  if (Array.isArray(value)) return value.filter(v => v !== null);
  if (typeof value === 'string' || value instanceof Bytes) return [value];
  return fail(`${fn}: expected a list, got ${typeName(value)}`);
}

export function equal(a: TValue, b: TValue): boolean {
  const kind = (v: TValue) => (v instanceof Bytes ? 'string' : typeName(v));
  if (a === null || b === null) return a === b;
  if (kind(a) !== kind(b))
    return fail(
      `eq: incompatible types for comparison (${typeName(a)} and ${typeName(
        b,
      )})`,
    );
  if (typeof a === 'string' || a instanceof Bytes)
    return Buffer.from(toBytes(a)).equals(toBytes(b as string | Bytes));
  if (a instanceof Float64) return a.value === (b as Float64).value;
  if (typeof a === 'object')
    return fail(`eq: cannot compare ${typeName(a)} values`);
  return a === b;
}

/** A function of `arity` string arguments. */
export const str = (
  name: string,
  f: (...s: string[]) => TValue,
  arity: number,
): Fn => ({
  min: arity,
  max: arity,
  call: args => f(...args.map(a => text(name, a))),
});

/** sprig's toInt64 for numbers and numeric strings (cast.ToInt64, 0 on failure). */
export function toInt(value: TValue): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (value instanceof Float64) return Math.trunc(value.value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()))
    return Number(value.trim());
  return 0;
}

/** sprig's toFloat64 (cast.ToFloat64, 0 on failure). */
export function toFloat(value: TValue): number {
  if (typeof value === 'number') return value;
  if (value instanceof Float64) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

export function sortedKeys(map: Map<string, TValue>): string[] {
  return [...map.keys()].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
}

export function dictArg(fn: string, value: TValue): Map<string, TValue> {
  if (value instanceof Map) return value;
  return fail(`${fn}: expected a dict, got ${typeName(value)}`);
}

/** sprig's `inList`: equality that never fails on mixed types. */
export function has(items: TValue[], needle: TValue): boolean {
  return items.some(item => {
    try {
      return equal(item, needle);
    } catch {
      return false;
    }
  });
}

/** A template value as plain data for the YAML/JSON libraries. */
export function toPlain(value: TValue): unknown {
  if (value instanceof Float64) return value.value;
  if (value instanceof GoTime)
    return formatGoLayout(value, '2006-01-02T15:04:05.999999999Z07:00');
  if (value instanceof Bytes) return new TextDecoder().decode(value.bytes);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map)
    return Object.fromEntries(
      sortedKeys(value).map(k => [k, toPlain(value.get(k)!)]),
    );
  return value;
}

/** YAML/JSON data as a template sees it (via JSON: numbers are float64). */
export function fromPlain(value: unknown): TValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return new Float64(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(fromPlain);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object')
    return new Map(
      Object.entries(value as object).map(([k, v]) => [k, fromPlain(v)]),
    );
  return String(value);
}

/** sprig's `mustX` names: ours already fail where sprig's plain X would hide an error. */
export function withMustVariants(
  functions: Record<string, Fn>,
  names: string[],
): Record<string, Fn> {
  const out = { ...functions };
  for (const name of names)
    out[`must${name[0].toUpperCase()}${name.slice(1)}`] = functions[name];
  return out;
}
