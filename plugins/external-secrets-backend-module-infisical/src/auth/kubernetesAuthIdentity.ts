import { identityKeys, type StoreIdentity } from './StoreIdentity';

/** Where Kubernetes mounts the pod's service-account token. @public */
export const DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Kubernetes Auth (`POST /api/v1/auth/kubernetes-auth/login` with identityId and
 * the service-account JWT, which Infisical checks with the cluster's TokenReview
 * API). The token path is part of the cache key: a store pointing at another
 * service account's token never reuses this one's access token. The JWT itself
 * is not, because projected tokens rotate while the identity stays the same.
 */
export function kubernetesAuthIdentity(options: {
  baseUrl: string;
  identityId: string;
  tokenPath: string;
  jwt: string;
  organizationSlug?: string;
}): StoreIdentity {
  const { baseUrl, identityId, tokenPath, jwt, organizationSlug } = options;
  const keys = identityKeys({
    kind: 'kubernetes-auth',
    baseUrl,
    principal: identityId,
    organizationSlug,
    proof: tokenPath,
  });
  return {
    kind: 'kubernetes-auth',
    ...keys,
    // Backoff compares credentials: a rotated JWT may retry a failed login at once.
    credentialFingerprint: `${keys.credentialFingerprint}:${
      identityKeys({
        kind: 'kubernetes-auth',
        baseUrl,
        principal: identityId,
        proof: jwt,
      }).credentialFingerprint
    }`,
    sensitive: [jwt],
    login: (api, signal) =>
      api.kubernetesAuthLogin({ identityId, jwt, organizationSlug }, signal),
  };
}
