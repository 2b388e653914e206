import { createHash } from 'node:crypto';
import type { InfisicalApi } from '../client/InfisicalApi';
import type { LoginResult } from '../client/wireTypes';

/** The auth methods this provider implements. @public */
export type InfisicalAuthKind = 'universal-auth' | 'kubernetes-auth';

/**
 * Who a store logs in as. Two stores share a token, a project id or a
 * snapshot only when their `cacheKey`s are equal: same host, same auth method,
 * same principal AND the same credential (a store that knows another store's
 * clientId but not its clientSecret gets its own login, which fails).
 */
export type StoreIdentity = {
  kind: InfisicalAuthKind;
  /** host + method + principal + credential proof (hashed). Never logged. */
  cacheKey: string;
  /** host + method + principal: Infisical counts failed logins per principal. */
  principalKey: string;
  /** Hash of the credential in use: a corrected credential may log in at once. */
  credentialFingerprint: string;
  /** Safe for logs: the method and a short hash of the cache key. */
  label: string;
  /** Sensitive strings to keep out of messages (client secret, ids, JWT). */
  sensitive: string[];
  login(api: InfisicalApi, signal?: AbortSignal): Promise<LoginResult>;
};

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Builds the keys of an identity from its parts; `proof` is hashed, never kept. */
export function identityKeys(parts: {
  kind: InfisicalAuthKind;
  baseUrl: string;
  principal: string;
  organizationSlug?: string;
  proof: string;
}): Pick<
  StoreIdentity,
  'cacheKey' | 'principalKey' | 'credentialFingerprint' | 'label'
> {
  const principalKey = [
    parts.baseUrl,
    parts.kind,
    parts.principal,
    parts.organizationSlug ?? '',
  ].join('\u0000');
  const credentialFingerprint = sha256(parts.proof);
  const cacheKey = `${principalKey}\u0000${credentialFingerprint}`;
  return {
    cacheKey,
    principalKey,
    credentialFingerprint,
    label: `${parts.kind}#${sha256(cacheKey).slice(0, 10)}`,
  };
}
