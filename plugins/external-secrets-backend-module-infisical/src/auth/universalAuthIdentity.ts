import { identityKeys, type StoreIdentity } from './StoreIdentity';

/**
 * Universal Auth (`POST /api/v1/auth/universal-auth/login` with clientId and
 * clientSecret). The client secret is part of the cache key (hashed), so a
 * rotated secret starts a fresh login instead of reusing the old token.
 */
export function universalAuthIdentity(options: {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  organizationSlug?: string;
}): StoreIdentity {
  const { baseUrl, clientId, clientSecret, organizationSlug } = options;
  return {
    kind: 'universal-auth',
    ...identityKeys({
      kind: 'universal-auth',
      baseUrl,
      principal: clientId,
      organizationSlug,
      proof: clientSecret,
    }),
    sensitive: [clientId, clientSecret],
    login: (api, signal) =>
      api.universalAuthLogin(
        { clientId, clientSecret, organizationSlug },
        signal,
      ),
  };
}
