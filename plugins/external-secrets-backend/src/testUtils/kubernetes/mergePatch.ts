/**
 * JSON Merge Patch (RFC 7386), the `application/merge-patch+json` patch type:
 * objects merge key by key, `null` removes a key, anything else (arrays
 * included) replaces the target value.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns a new value; neither argument is modified. @internal */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) {
    return structuredClone(patch);
  }
  const result: Record<string, unknown> = isPlainObject(target)
    ? structuredClone(target)
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = applyMergePatch(result[key], value);
    }
  }
  return result;
}
