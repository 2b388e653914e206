import { createHash } from 'node:crypto';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import {
  createStsClient,
  type AwsTransport,
  type ClientIdentity,
} from '../client/createSdkClients';
import type { AwsProviderSpec } from './awsStoreSpec';
import { providerError, toProviderError } from './toProviderError';

/** Renew assumed-role credentials this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;
/** Length of an assumed-role session (AWS's default and minimum is 15 min). */
const SESSION_SECONDS = 3600;

type Cached = { credentials: AwsCredentialIdentity; expiresAt: number };

/**
 * Assumed-role credentials per identity, kept across cycles until shortly
 * before they expire (ESO assumes the role again on every reconcile). The key
 * is a hash of the base identity, the region and the role chain: two stores
 * with different keys never share credentials, and no key material is kept
 * as a map key.
 */
export class CredentialCache {
  readonly #entries = new Map<string, Cached>();
  readonly #inflight = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(
    private readonly transport: AwsTransport,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The credentials the store reads with: its base identity (access keys, or
   * the backend's default chain when `base` is undefined), then each of
   * `additionalRoles` and `role` assumed in turn, as ESO chains them.
   */
  async resolve(options: {
    spec: AwsProviderSpec;
    base?: AwsCredentialIdentity;
    store: string;
    addressGuard?: ClientIdentity['addressGuard'];
  }): Promise<AwsCredentialIdentity | undefined> {
    const { spec, base, store } = options;
    const chain = [...spec.additionalRoles, ...(spec.role ? [spec.role] : [])];
    if (chain.length === 0) return base;
    const key = cacheKey(spec, base);
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt - RENEW_BEFORE_MS > this.now())
      return cached.credentials;
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.assumeChain(chain, spec, base, store, options.addressGuard)
        .then(result => {
          this.#entries.set(key, result);
          return result.credentials;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  clear(): void {
    this.#entries.clear();
  }

  private async assumeChain(
    chain: string[],
    spec: AwsProviderSpec,
    base: AwsCredentialIdentity | undefined,
    store: string,
    addressGuard: ClientIdentity['addressGuard'],
  ): Promise<Cached> {
    let credentials = base;
    let expiresAt = Number.POSITIVE_INFINITY;
    for (const [i, roleArn] of chain.entries()) {
      const last = i === chain.length - 1;
      const sts = createStsClient(this.transport, {
        region: spec.region,
        credentials,
        addressGuard,
      });
      const context = {
        store,
        action: `assuming role ${roleArn}`,
        call: 'AssumeRole',
        sensitive: sensitiveOf(credentials),
      };
      try {
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'backstage-external-secrets',
            DurationSeconds: SESSION_SECONDS,
            // ESO passes the external id and session tags on the store's role only.
            ...(last && spec.externalID ? { ExternalId: spec.externalID } : {}),
            ...(last && spec.sessionTags.length
              ? {
                  Tags: spec.sessionTags.map(t => ({
                    Key: t.key,
                    Value: t.value,
                  })),
                }
              : {}),
          }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) {
          throw providerError(
            'UNKNOWN',
            'STS returned no credentials',
            context,
          );
        }
        credentials = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
        expiresAt = Math.min(
          expiresAt,
          c.Expiration?.getTime() ?? this.now() + SESSION_SECONDS * 1000,
        );
      } catch (error) {
        throw toProviderError(error, context);
      } finally {
        sts.destroy();
      }
    }
    return { credentials: credentials!, expiresAt };
  }
}

/** The credential strings an error message must never show. */
export function sensitiveOf(credentials?: AwsCredentialIdentity): string[] {
  if (!credentials) return [];
  return [credentials.secretAccessKey, credentials.sessionToken ?? ''].filter(
    Boolean,
  );
}

function cacheKey(spec: AwsProviderSpec, base?: AwsCredentialIdentity) {
  return createHash('sha256')
    .update(
      JSON.stringify([
        base?.accessKeyId ?? '(default chain)',
        base?.secretAccessKey ?? '',
        base?.sessionToken ?? '',
        spec.region,
        spec.additionalRoles,
        spec.role ?? '',
        spec.externalID ?? '',
        spec.sessionTags,
      ]),
    )
    .digest('hex');
}
