import { PathSegment } from './fieldPath';

/** A JSON-like object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `value` at `path` without trusting its shape; undefined when absent. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') {
      current = current[segment];
    } else if (isRecord(current) && typeof segment === 'string') {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}

/** True when `value` has an own field `key` (set, even to an empty object). */
export function hasField(value: unknown, key: string): boolean {
  return isRecord(value) && Object.hasOwn(value, key);
}

/** Joins a base path and relative segments. */
export function under(
  base: readonly PathSegment[],
  ...rest: PathSegment[]
): PathSegment[] {
  return [...base, ...rest];
}
