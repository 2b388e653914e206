import { createHash } from 'node:crypto';

/**
 * Go's `fmt.Sprintf("%+v", ...)` text for the few shapes ESO hashes, and
 * ESO's `esutils.ObjectHash` (hex SHA3-224 of that text). Byte-for-byte
 * compatibility matters: a cluster moving between ESO and us must not see
 * every Secret as changed.
 */

/** Go sorts map keys as byte strings; JS sorts UTF-16 code units. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Hex SHA3-224 of the given text or bytes, as ESO's `ObjectHash` prints it. */
export function sha3Hex224(input: string | Uint8Array): string {
  return createHash('sha3-224').update(input).digest('hex');
}

/** `%+v` of a `map[string][]byte`: `map[a:[1 2] b:[]]`, keys in byte order. */
export function formatGoByteMap(
  entries: Iterable<[string, Uint8Array]>,
): string {
  const parts = [...entries]
    .sort(([a], [b]) => compareGoStrings(a, b))
    .map(([key, bytes]) => `${key}:[${Array.from(bytes).join(' ')}]`);
  return `map[${parts.join(' ')}]`;
}

/** `%+v` of a `map[string]string` (a nil map prints as `map[]`). */
export function formatGoStringMap(
  map: Record<string, string> | undefined,
): string {
  const parts = Object.entries(map ?? {})
    .sort(([a], [b]) => compareGoStrings(a, b))
    .map(([key, value]) => `${key}:${value}`);
  return `map[${parts.join(' ')}]`;
}
