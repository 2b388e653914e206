/**
 * `spec.provider` of an Infisical store with universal auth, as the security
 * scenarios write it: the client id and secret are keys `clientId` and
 * `clientSecret` of the Secret `credentials`. Its refs name no namespace, so
 * a SecretStore reads its own namespace and a ClusterSecretStore each
 * ExternalSecret's (as ESO resolves them).
 */
export function universalAuthProvider(options: {
  hostAPI: string;
  credentials: string;
  project: string;
  environment?: string;
}) {
  const ref = (key: string) => ({ name: options.credentials, key });
  return {
    infisical: {
      hostAPI: options.hostAPI,
      auth: {
        universalAuthCredentials: {
          clientId: ref('clientId'),
          clientSecret: ref('clientSecret'),
        },
      },
      secretsScope: {
        projectSlug: options.project,
        environmentSlug: options.environment ?? 'prod',
        secretsPath: '/',
      },
    },
  };
}
