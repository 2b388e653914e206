import type { InfisicalProviderSpec } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { StoreContext } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { providerError } from './toProviderError';

/**
 * The PEM bundle the store trusts, from `caBundle` (base64 PEM) or
 * `caProvider` (a ConfigMap or Secret key), or undefined for the system trust
 * store. A bundle without a certificate is a configuration error, never a
 * reason to turn verification off.
 */
export async function loadCaCertificate(
  spec: InfisicalProviderSpec,
  context: StoreContext,
  store: string,
): Promise<string | undefined> {
  const where = { store, action: 'loading the CA certificate' };
  if (spec.caBundle) {
    const pem = Buffer.from(
      spec.caBundle.replace(/\s+/g, ''),
      'base64',
    ).toString('utf8');
    return requirePem(pem, 'spec.provider.infisical.caBundle', where);
  }
  const ca = spec.caProvider;
  if (!ca) return undefined;
  const ref = {
    name: ca.name,
    key: ca.key,
    namespace: ca.namespace ?? context.namespace,
  };
  const source = `caProvider ${ca.type} ${ref.namespace ?? ''}/${
    ref.name
  } key ${ref.key}`;
  let pem: string;
  try {
    pem =
      ca.type === 'Secret'
        ? (await context.readSecretKey(ref)).text()
        : await context.readConfigMapKey(ref);
  } catch (error) {
    throw providerError(
      'INVALID_CONFIG',
      `cannot read ${source}: ${(error as Error).message}`,
      where,
    );
  }
  return requirePem(pem, source, where);
}

function requirePem(
  pem: string,
  source: string,
  where: { store: string; action: string },
): string {
  if (pem.includes('-----BEGIN CERTIFICATE-----')) return pem;
  throw providerError(
    'INVALID_CONFIG',
    `${source} holds no PEM certificate`,
    where,
  );
}
