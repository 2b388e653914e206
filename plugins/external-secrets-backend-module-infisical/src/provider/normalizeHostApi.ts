/** ESO's default `hostAPI`. @public */
export const DEFAULT_HOST_API = 'https://app.infisical.com/api';

/**
 * The API base for `hostAPI`, as ESO (the Infisical Go SDK) computes it: with or
 * without a trailing `/api`, both work. Unlike the SDK, trailing slashes are
 * removed first, so `https://host/api/` is `https://host/api` and not
 * `https://host/api/api`.
 *
 * @public
 */
export function normalizeHostApi(hostApi: string | undefined): string {
  const trimmed = (hostApi ?? '').trim().replace(/\/+$/, '');
  if (!trimmed) return DEFAULT_HOST_API;
  return trimmed.endsWith('/api') ? trimmed : `${trimmed}/api`;
}
