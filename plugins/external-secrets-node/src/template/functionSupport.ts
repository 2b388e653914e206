import {
  Bytes,
  Float64,
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
