import { posix } from 'node:path';

/** Where Kubernetes mounts the pod's service-account token: always allowed. @public */
export const DEFAULT_SERVICE_ACCOUNT_TOKEN_DIR =
  '/var/run/secrets/kubernetes.io/serviceaccount';

/** The config key that adds token directories, named in every refusal. */
export const SERVICE_ACCOUNT_TOKEN_DIRS_KEY =
  'externalSecrets.providers.infisical.serviceAccountTokenDirs';

/**
 * The directories Kubernetes auth may read a token from: the default one and
 * the admin's additions, normalised without a trailing slash. A relative or
 * non-normal directory fails at startup with the key named.
 */
export function allowedTokenDirs(extra: readonly string[] = []): string[] {
  const dirs = [DEFAULT_SERVICE_ACCOUNT_TOKEN_DIR];
  extra.forEach((dir, i) => {
    const trimmed = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
    if (
      !posix.isAbsolute(trimmed) ||
      trimmed === '/' ||
      posix.normalize(trimmed) !== trimmed ||
      trimmed.includes('\0')
    ) {
      throw new Error(
        `${SERVICE_ACCOUNT_TOKEN_DIRS_KEY}[${i}] must be an absolute directory other than "/", without "." or ".." segments, got ${JSON.stringify(
          dir,
        )}`,
      );
    }
    if (!dirs.includes(trimmed)) dirs.push(trimmed);
  });
  return dirs;
}

/**
 * Why `path` may not be read as a service-account token, or undefined when it
 * names a file strictly inside one of `dirs`. Checked on the text, before any
 * file is touched: the path must be absolute and in normal form (no `.`, `..`
 * or doubled slashes), so it cannot climb out of its directory. The default
 * reader also resolves symbolic links (readServiceAccountTokenFile).
 */
export function tokenPathRefusal(
  path: string,
  dirs: readonly string[],
): string | undefined {
  const allowed = `${dirs
    .map(d => `${d}/`)
    .join(
      ', ',
    )}; an admin adds directories in ${SERVICE_ACCOUNT_TOKEN_DIRS_KEY}`;
  if (
    !posix.isAbsolute(path) ||
    path.includes('\0') ||
    posix.normalize(path) !== path ||
    path.endsWith('/')
  ) {
    return `is not an absolute file path in normal form (no ".", ".." or "//"); allowed directories: ${allowed}`;
  }
  if (!dirs.some(dir => path.startsWith(`${dir}/`))) {
    return `is outside the allowed directories ${allowed}`;
  }
  return undefined;
}
