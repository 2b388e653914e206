import type {
  InfisicalAuth,
  InfisicalProviderSpec,
  SecretKeySelector,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { StoreContext } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH,
  kubernetesAuthIdentity,
} from '../auth/kubernetesAuthIdentity';
import { tokenPathRefusal } from '../auth/serviceAccountTokenPolicy';
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
  kind: SecretStore['kind'];
  readServiceAccountToken: (path: string) => Promise<string>;
  serviceAccountTokenDirs: readonly string[];
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
    const refusal = kubernetesAuthRefusal(options, kubernetes, base);
    if (refusal) throw providerError('INVALID_CONFIG', refusal, where);
    const identityId = await read(`${base}.identityId`, kubernetes.identityId);
    const tokenPath = kubernetes.serviceAccountTokenPath
      ? await read(
          `${base}.serviceAccountTokenPath`,
          kubernetes.serviceAccountTokenPath,
        )
      : DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH;
    const pathRefusal = tokenPathRefusal(
      tokenPath,
      options.serviceAccountTokenDirs,
    );
    if (pathRefusal) {
      throw providerError(
        'INVALID_CONFIG',
        `${base}.serviceAccountTokenPath "${tokenPath}" ${pathRefusal}`,
        where,
      );
    }
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

/**
 * Kubernetes auth logs in with a token from the backend pod's file system
 * (by default the backend's OWN service account), so it is lent only where an
 * admin decides both the store and the identity the token logs in as: never
 * to a namespaced SecretStore (whoever may create one in its namespace
 * controls it), and for a ClusterSecretStore only when identityId and
 * serviceAccountTokenPath name their namespace (without one they are read in
 * each ExternalSecret's namespace, whose users would pick the identity).
 */
function kubernetesAuthRefusal(
  options: { context: StoreContext; kind: SecretStore['kind'] },
  kubernetes: NonNullable<InfisicalAuth['kubernetesAuthCredentials']>,
  base: string,
): string | undefined {
  if (options.context.storeScope !== 'admin') {
    return `Kubernetes auth logs in with a service-account token of the Backstage backend's pod, which only admin stores (app-config stores and ClusterSecretStores) may use; a namespaced SecretStore may not. Use universalAuthCredentials from a Secret in this namespace, or ask an admin for a ClusterSecretStore`;
  }
  if (options.kind !== 'ClusterSecretStore') return undefined;
  const perNamespace = [
    ['identityId', kubernetes.identityId],
    ['serviceAccountTokenPath', kubernetes.serviceAccountTokenPath],
  ].filter(([, ref]) => ref && !(ref as SecretKeySelector).namespace);
  if (perNamespace.length === 0) return undefined;
  return `${perNamespace
    .map(([field]) => `${base}.${field}`)
    .join(
      ' and ',
    )} must name its namespace in a ClusterSecretStore using Kubernetes auth: without one it is read in each ExternalSecret's namespace, whose users would choose the identity the backend's service-account token logs in as`;
}
