import type { LoggerService } from '@backstage/backend-plugin-api';
import { ProviderError } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { Clock } from '../client/timing';
import type { LoginResult } from '../client/wireTypes';
import type { LoginBackoff } from './LoginBackoff';
import type { StoreIdentity } from './StoreIdentity';

/** How a store obtains, renews and revokes tokens; errors are ProviderErrors. */
export type TokenSource = {
  identity: StoreIdentity;
  login(): Promise<LoginResult>;
  renew(accessToken: string): Promise<LoginResult>;
  revoke(accessToken: string): Promise<void>;
};

type CachedToken = {
  accessToken: string;
  /** Token lifetime per issue/renewal (Infinity: no expiry). */
  ttlMs: number;
  expiresAt: number;
  /** createdAt + accessTokenMaxTTL: renewals cannot go past it. */
  maxExpiresAt: number;
  refreshAt: number;
  source: TokenSource;
};

/** After a transient renew failure, keep using the token and try again this much later. */
const RENEW_RETRY_MS = 30_000;

/** Renew (or log in) this long before expiry: 20% of the TTL, at most 5 minutes. */
export function refreshMarginMs(ttlMs: number): number {
  return Math.min(5 * 60_000, ttlMs * 0.2);
}

/**
 * Access tokens per identity, shared by every store and cycle of one provider.
 * A token is reused until shortly before it expires, then renewed; near its max
 * TTL (where Infisical refuses a renewal and deletes the token) it logs in
 * again instead. At most one login or renewal per identity is in flight: every
 * read waiting for a token awaits the same promise.
 */
export class TokenCache {
  readonly #entries = new Map<string, CachedToken>();
  readonly #inflight = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly clock: Clock,
    private readonly backoff: LoginBackoff,
    private readonly logger?: LoggerService,
  ) {}

  async get(source: TokenSource): Promise<string> {
    const key = source.identity.cacheKey;
    const cached = this.#entries.get(key);
    if (cached && this.clock.now() < cached.refreshAt)
      return cached.accessToken;
    let flight = this.#inflight.get(key);
    if (!flight) {
      flight = this.acquire(source).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, flight);
    }
    return (await flight).accessToken;
  }

  /** Forgets `accessToken` after Infisical rejected it (only if it is still the cached one). */
  invalidate(identity: StoreIdentity, accessToken: string): void {
    if (this.#entries.get(identity.cacheKey)?.accessToken === accessToken) {
      this.#entries.delete(identity.cacheKey);
    }
  }

  /** Revokes every cached token (best effort) and empties the cache. */
  async revokeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(
      entries.map(async entry => {
        try {
          await entry.source.revoke(entry.accessToken);
          this.logger?.debug(
            `Revoked the Infisical access token of ${entry.source.identity.label}`,
          );
        } catch (error) {
          this.logger?.warn(
            `Could not revoke the Infisical access token of ${
              entry.source.identity.label
            }: ${(error as Error).message}`,
          );
        }
      }),
    );
  }

  private async acquire(source: TokenSource): Promise<CachedToken> {
    const now = this.clock.now();
    const cached = this.#entries.get(source.identity.cacheKey);
    if (cached && this.canRenew(cached, now)) {
      const renewed = await this.renew(cached, source);
      if (renewed) return renewed;
    }
    try {
      return await this.login(source);
    } catch (error) {
      // A transient failure should not stop reads while the old token still works.
      const usable = cached && this.clock.now() < cached.expiresAt;
      if (usable && error instanceof ProviderError && error.isTransient)
        return cached;
      throw error;
    }
  }

  private canRenew(entry: CachedToken, now: number): boolean {
    if (now >= entry.expiresAt) return false;
    const renewedUntil = now + entry.ttlMs + refreshMarginMs(entry.ttlMs);
    return renewedUntil <= entry.maxExpiresAt;
  }

  private async renew(
    entry: CachedToken,
    source: TokenSource,
  ): Promise<CachedToken | undefined> {
    const { identity } = source;
    try {
      const result = await source.renew(entry.accessToken);
      this.logger?.debug(
        `Renewed the Infisical access token of ${identity.label}`,
      );
      return this.store(source, result, entry.maxExpiresAt);
    } catch (error) {
      const transient = error instanceof ProviderError && error.isTransient;
      if (transient && this.clock.now() < entry.expiresAt) {
        entry.refreshAt = Math.min(
          entry.expiresAt,
          this.clock.now() + RENEW_RETRY_MS,
        );
        return entry;
      }
      this.logger?.info(
        `Renewing the Infisical access token of ${identity.label} failed (${
          (error as Error).message
        }); logging in again`,
      );
      this.#entries.delete(identity.cacheKey);
      return undefined;
    }
  }

  private async login(source: TokenSource): Promise<CachedToken> {
    this.backoff.check(source.identity);
    try {
      const result = await source.login();
      this.backoff.success(source.identity);
      this.logger?.debug(`Logged in to Infisical as ${source.identity.label}`);
      return this.store(source, result);
    } catch (error) {
      if (error instanceof ProviderError)
        this.backoff.failure(source.identity, error);
      throw error;
    }
  }

  private store(
    source: TokenSource,
    result: LoginResult,
    maxExpiresAt?: number,
  ): CachedToken {
    const now = this.clock.now();
    const ttlMs = result.expiresInSeconds
      ? result.expiresInSeconds * 1000
      : Infinity;
    const expiresAt = now + ttlMs;
    const entry: CachedToken = {
      accessToken: result.accessToken,
      ttlMs,
      expiresAt,
      maxExpiresAt:
        maxExpiresAt ??
        (result.maxTtlSeconds ? now + result.maxTtlSeconds * 1000 : Infinity),
      refreshAt: expiresAt - refreshMarginMs(ttlMs),
      source,
    };
    this.#entries.set(source.identity.cacheKey, entry);
    return entry;
  }
}
