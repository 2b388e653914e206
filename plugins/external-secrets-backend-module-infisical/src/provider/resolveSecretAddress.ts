import { posix } from 'node:path';

/** Where a remote key lives: an Infisical folder and a secret name. @public */
export type SecretAddress = { folder: string; name: string };

/**
 * Resolves `remoteRef.key` exactly as ESO's Infisical provider does
 * (`getSecretAddress`, ESO v2.5+):
 * - no `/`: a secret in the store's `secretsScope.secretsPath`
 *   (`FOO` in `/scope` is `/scope` + `FOO`);
 * - leading `/`: an absolute path, the scope path is ignored
 *   (`/a/b/FOO` is `/a/b` + `FOO`);
 * - otherwise a folder relative to the scope path (`sub/FOO` in `/scope` is
 *   `/scope/sub` + `FOO`).
 * Folders are normalised as Infisical does (no trailing slash, `/` for root).
 * A key ending in `/` has an empty name; the caller reports it.
 *
 * @public
 */
export function resolveSecretAddress(
  scopePath: string,
  key: string,
): SecretAddress {
  if (!key.includes('/')) {
    return { folder: normalizeFolderPath(scopePath), name: key };
  }
  const slash = key.lastIndexOf('/');
  const folder = key.slice(0, slash);
  const name = key.slice(slash + 1);
  if (key.startsWith('/')) return { folder: normalizeFolderPath(folder), name };
  return {
    folder: normalizeFolderPath(posix.join(scopePath || '/', folder)),
    name,
  };
}

/** `''` → `/`, `app/` → `/app`, `/a//b/../c/` → `/a/c`. */
export function normalizeFolderPath(path: string): string {
  const normalized = posix.normalize(`/${path}`);
  return normalized.length > 1 && normalized.endsWith('/')
    ? normalized.slice(0, -1)
    : normalized;
}

/** True when `folder` is `ancestor` or below it. */
export function isWithinFolder(folder: string, ancestor: string): boolean {
  if (ancestor === '/') return true;
  return folder === ancestor || folder.startsWith(`${ancestor}/`);
}
