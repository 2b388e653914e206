/** Finds a secret value by environment, folder and key. */
export type ReferenceLookup = (
  environment: string,
  folder: string,
  key: string,
) => string | undefined;

const REFERENCE = /\$\{([^}]+)\}/g;
const MAX_DEPTH = 5;

/**
 * Expands Infisical secret references: `${KEY}` (same environment and folder)
 * and `${env.folder.sub.KEY}` (environment slug, then folder segments, then
 * the key). References that resolve to nothing are left as written.
 */
export function expandSecretReferences(
  value: string,
  at: { environment: string; folder: string },
  lookup: ReferenceLookup,
  depth = 0,
): string {
  if (depth >= MAX_DEPTH) return value;
  return value.replace(REFERENCE, (whole, inner: string) => {
    const parts = inner.trim().split('.');
    const target =
      parts.length === 1
        ? { environment: at.environment, folder: at.folder, key: parts[0] }
        : {
            environment: parts[0],
            folder: `/${parts.slice(1, -1).join('/')}`,
            key: parts[parts.length - 1],
          };
    const found = lookup(target.environment, target.folder, target.key);
    if (found === undefined) return whole;
    return expandSecretReferences(found, target, lookup, depth + 1);
  });
}
