import { equal, text, type Fn } from '../functionSupport';
import { Bytes, GoTime, typeName, type TValue } from '../values';

function goTypeOf(value: TValue): string {
  if (value === null) return '<nil>';
  if (typeof value === 'string' || value instanceof Bytes) return 'string';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Map) return 'map[string]interface {}';
  return typeName(value);
}

function goKindOf(value: TValue): string {
  if (value === null) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (value instanceof Map) return 'map';
  if (value instanceof GoTime) return 'struct';
  return goTypeOf(value);
}

function deepEqual(a: TValue, b: TValue): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (a instanceof Map && b instanceof Map)
    return (
      a.size === b.size &&
      [...a].every(([k, v]) => b.has(k) && deepEqual(v, b.get(k)!))
    );
  if (goTypeOf(a) !== goTypeOf(b)) return false;
  if (Array.isArray(a) || a instanceof Map) return false;
  return equal(a, b);
}

/** sprig's reflection functions (runtime/template/v2/sprig/reflect.go). */
export const REFLECT_FUNCTIONS: Record<string, Fn> = {
  typeOf: { min: 1, max: 1, call: ([a]) => goTypeOf(a) },
  kindOf: { min: 1, max: 1, call: ([a]) => goKindOf(a) },
  typeIs: {
    min: 2,
    max: 2,
    call: ([t, a]) => text('typeIs', t) === goTypeOf(a),
  },
  typeIsLike: {
    min: 2,
    max: 2,
    call: ([t, a]) => {
      const want = text('typeIsLike', t);
      return want === goTypeOf(a) || want === `*${goTypeOf(a)}`;
    },
  },
  kindIs: {
    min: 2,
    max: 2,
    call: ([k, a]) => text('kindIs', k) === goKindOf(a),
  },
  deepEqual: { min: 2, max: 2, call: ([a, b]) => deepEqual(a, b) },
};
