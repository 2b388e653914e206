/**
 * Deep equality of JSON values, key order and prototypes ignored (objects
 * cloned by `structuredClone` and parsed by `JSON.parse` may come from different
 * realms under Jest, which `util.isDeepStrictEqual` treats as different).
 *
 * @internal
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter(k => left[k] !== undefined);
  const otherKeys = Object.keys(right).filter(k => right[k] !== undefined);
  return (
    keys.length === otherKeys.length &&
    keys.every(key => jsonEqual(left[key], right[key]))
  );
}
