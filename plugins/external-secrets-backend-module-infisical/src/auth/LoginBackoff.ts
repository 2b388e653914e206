import {
  ProviderError,
  type ProviderErrorType,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { Clock } from '../client/timing';
import type { StoreIdentity } from './StoreIdentity';

/** Failures Infisical counts as failed logins (a 5xx or a timeout is not one). */
const COUNTED: ReadonlySet<ProviderErrorType> = new Set([
  'AUTH_FAILED',
  'CLIENT_SECRET_EXPIRED',
  'USE_LIMIT_REACHED',
  'INVALID_REQUEST',
]);

/**
 * How long to wait before logging in again after a failed login.
 *
 * @public
 */
export type LoginBackoffOptions = {
  /**
   * Wait after the first failed login. Infisical's failed-login counter resets
   * 30 s after the LAST failure and locks the identity at 3; waiting longer than
   * 30 s between attempts keeps the counter at 1, so this client alone never
   * triggers the lockout.
   */
  baseMs: number;
  maxMs: number;
  /** Infisical's default lockout duration, used when the answer says "temporarily locked". */
  lockoutMs: number;
};

export const DEFAULT_LOGIN_BACKOFF: LoginBackoffOptions = {
  baseMs: 35_000,
  maxMs: 300_000,
  lockoutMs: 300_000,
};

type FailureState = { failures: number; retryAt: number; error: ProviderError };

/**
 * Remembers failed logins per principal and credential, and refuses to try
 * again before the backoff expires: the refusal is the last error, with the
 * time of the next attempt. A different credential (fixed Secret) is tried at
 * once, except while Infisical reported the principal locked.
 */
export class LoginBackoff {
  readonly #failures = new Map<string, FailureState>();
  readonly #locks = new Map<string, { until: number; error: ProviderError }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: LoginBackoffOptions = DEFAULT_LOGIN_BACKOFF,
  ) {}

  /** Throws when a login for `identity` must not be attempted now. */
  check(identity: StoreIdentity): void {
    const now = this.clock.now();
    const lock = this.#locks.get(identity.principalKey);
    if (lock && now < lock.until) throw this.refusal(lock.error, lock.until);
    const state = this.#failures.get(failureKey(identity));
    if (state && now < state.retryAt)
      throw this.refusal(state.error, state.retryAt);
  }

  failure(identity: StoreIdentity, error: ProviderError): void {
    if (!COUNTED.has(error.errorType)) return;
    const now = this.clock.now();
    const key = failureKey(identity);
    const failures = (this.#failures.get(key)?.failures ?? 0) + 1;
    const delay = Math.min(
      this.options.maxMs,
      this.options.baseMs * 2 ** (failures - 1),
    );
    this.#failures.set(key, { failures, retryAt: now + delay, error });
    if (/temporarily locked/i.test(error.message)) {
      this.#locks.set(identity.principalKey, {
        until: now + this.options.lockoutMs,
        error,
      });
    }
  }

  success(identity: StoreIdentity): void {
    this.#failures.delete(failureKey(identity));
    this.#locks.delete(identity.principalKey);
  }

  private refusal(error: ProviderError, retryAt: number): ProviderError {
    const when = new Date(retryAt).toISOString();
    return new ProviderError(
      error.errorType,
      `${error.message} (The previous login failed; the next attempt is not before ${when}, because Infisical locks an identity out after repeated failed logins.)`,
      error.details,
    );
  }
}

function failureKey(identity: StoreIdentity): string {
  return `${identity.principalKey}\u0000${identity.credentialFingerprint}`;
}
