/** Kubernetes' rule for Secret data keys (ESO's ValidateKeys is looser; the API server is not). */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY_LENGTH = 253;

/** Why `key` cannot be a Secret data key, or undefined when it can. */
export function secretKeyProblem(key: string): string | undefined {
  if (key === '') return 'the key is empty';
  if (key.length > MAX_KEY_LENGTH)
    return `the key is ${key.length} characters long (at most ${MAX_KEY_LENGTH})`;
  if (!SECRET_KEY.test(key)) return 'a Secret key must match ^[-._a-zA-Z0-9]+$';
  // Kubernetes reserves these for the files of a mounted Secret volume.
  if (key === '.' || key === '..') return `a Secret key may not be "${key}"`;
  if (key.startsWith('..')) return 'a Secret key may not start with ".."';
  return undefined;
}

const KEEP = /[\p{L}\p{N}\-._]/u;

/**
 * ESO's `ConvertKeys` for `conversionStrategy` (applied to extract/find keys
 * when there is no rewrite): `Default` replaces every character that is not a
 * letter, number, `-`, `.` or `_` by `_`; `Unicode` by `_U<hex code point>_`.
 */
export function convertKey(
  strategy: 'Default' | 'Unicode' | undefined,
  key: string,
): string {
  return Array.from(key, c => {
    if (KEEP.test(c)) return c;
    if (strategy === 'Unicode')
      return `_U${c.codePointAt(0)!.toString(16).padStart(4, '0')}_`;
    return '_';
  }).join('');
}
