import type {
  InfisicalProviderSpec,
  SecretKeySelector,
} from '@internal/backstage-plugin-external-secrets-common';
import type { StoreContext } from '@internal/backstage-plugin-external-secrets-node';
import {
  DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH,
  kubernetesAuthIdentity,
} from '../auth/kubernetesAuthIdentity';
import type { StoreIdentity } from '../auth/StoreIdentity';
import { universalAuthIdentity } from '../auth/universalAuthIdentity';
import { providerError } from './toProviderError';

/**
 * Reads the store's credentials through the StoreContext (Kubernetes Secrets)
 * and builds its identity. Values are trimmed: a trailing newline from
 * `kubectl create secret --from-file` is never part of an Infisical credential.
 */
export async function readStoreIdentity(options: {
  spec: InfisicalProviderSpec;
  context: StoreContext;
  baseUrl: string;
  store: string;
  readServiceAccountToken: (path: string) => Promise<string>;
}): Promise<StoreIdentity> {
  const { spec, context, baseUrl, store } = options;
  const where = { store, action: 'reading the store credentials' };
  const organizationSlug = spec.secretsScope.organizationSlug || undefined;
  const read = async (
    field: string,
    ref: SecretKeySelector,
  ): Promise<string> => {
    const resolved = { ...ref, namespace: ref.namespace ?? context.namespace };
    const source = `${field} (Secret ${resolved.namespace ?? ''}/${
      resolved.name
    } key ${resolved.key})`;
    let text: string;
    try {
      text = (await context.readSecretKey(resolved)).text().trim();
    } catch (error) {
      throw providerError(
        'INVALID_CONFIG',
        `cannot read ${source}: ${(error as Error).message}`,
        where,
      );
    }
    if (!text)
      throw providerError('INVALID_CONFIG', `${source} is empty`, where);
    return text;
  };

  const universal = spec.auth.universalAuthCredentials;
  if (universal) {
    const base = 'spec.provider.infisical.auth.universalAuthCredentials';
    return universalAuthIdentity({
      baseUrl,
      clientId: await read(`${base}.clientId`, universal.clientId),
      clientSecret: await read(`${base}.clientSecret`, universal.clientSecret),
      organizationSlug,
    });
  }
  const kubernetes = spec.auth.kubernetesAuthCredentials;
  if (kubernetes) {
    const base = 'spec.provider.infisical.auth.kubernetesAuthCredentials';
    const identityId = await read(`${base}.identityId`, kubernetes.identityId);
    const tokenPath = kubernetes.serviceAccountTokenPath
      ? await read(
          `${base}.serviceAccountTokenPath`,
          kubernetes.serviceAccountTokenPath,
        )
      : DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH;
    let jwt: string;
    try {
      jwt = (await options.readServiceAccountToken(tokenPath)).trim();
    } catch (error) {
      throw providerError(
        'INVALID_CONFIG',
        `cannot read the service-account token at ${tokenPath}: ${
          (error as Error).message
        }`,
        where,
      );
    }
    if (!jwt)
      throw providerError(
        'INVALID_CONFIG',
        `the service-account token at ${tokenPath} is empty`,
        where,
      );
    return kubernetesAuthIdentity({
      baseUrl,
      identityId,
      tokenPath,
      jwt,
      organizationSlug,
    });
  }
  throw providerError(
    'INVALID_CONFIG',
    'spec.provider.infisical.auth names no supported auth method',
    where,
  );
}
