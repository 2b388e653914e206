import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  SecretStore,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type {
  ProviderChange,
  ProviderCapabilities,
  SecretsClient,
  SecretsProvider,
  StoreContext,
  StoreValidationResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { Meter } from '@opentelemetry/api';
import { changeAffectsScope } from './changeAffectsScope';
import {
  DEFAULT_LOGIN_BACKOFF,
  LoginBackoff,
  type LoginBackoffOptions,
} from '../auth/LoginBackoff';
import { readServiceAccountTokenFile } from '../auth/readServiceAccountTokenFile';
import { allowedTokenDirs } from '../auth/serviceAccountTokenPolicy';
import { TokenCache } from '../auth/TokenCache';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../client/retryPolicy';
import {
  realSleep,
  systemClock,
  type Clock,
  type Sleep,
} from '../client/timing';
import {
  ProviderApiMetrics,
  type ApiCallCount,
} from '../metrics/ProviderApiMetrics';
import { InfisicalSecretsClient } from './InfisicalSecretsClient';
import { normalizeHostApi } from './normalizeHostApi';
import { ProviderState } from './ProviderState';
import { StoreSession } from './StoreSession';
import { PROVIDER_NAME } from './toProviderError';
import { validateInfisicalStoreSpec } from './validateInfisicalStoreSpec';

/** Default per-request timeout. @public */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Options of the Infisical provider. Everything that touches the outside world
 * can be replaced, so tests run against a simulator with a fake clock.
 *
 * @public
 */
export type InfisicalProviderOptions = {
  /** Provider-level logs (token revocation at shutdown); per-store logs use StoreContext.logger. */
  logger?: LoggerService;
  /** Timeout of one HTTP attempt. Default 10 s. */
  requestTimeoutMs?: number;
  /** Retries of 429/5xx/network errors. Default: 3 retries, 500 ms doubling to 30 s, Retry-After up to 60 s. */
  retry?: Partial<RetryPolicy>;
  /** Pause after failed logins. Default: 35 s doubling to 5 min (5 min when Infisical reports a lockout). */
  loginBackoff?: Partial<LoginBackoffOptions>;
  /**
   * Reads the service-account JWT for Kubernetes auth, once the path passed the
   * directory allow-list. Default: reads the file (symbolic links resolved and
   * checked against the allow-list again).
   */
  readServiceAccountToken?: (path: string) => Promise<string>;
  /**
   * Directories, besides `/var/run/secrets/kubernetes.io/serviceaccount`, that
   * Kubernetes auth may read a service-account token from
   * (`externalSecrets.providers.infisical.serviceAccountTokenDirs`).
   */
  serviceAccountTokenDirs?: string[];
  fetch?: typeof fetch;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Meter for `externalsecret_provider_api_calls_count`. Default: the global OpenTelemetry meter provider. */
  meter?: Meter;
  /** Scope snapshots kept across cycles (LRU). Default 1000. */
  snapshotCacheSize?: number;
};

/**
 * The `infisical` secrets provider: ESO's `spec.provider.infisical` on a small
 * typed HTTP client. Tokens are cached per identity and renewed, each scope is
 * listed once per cycle (with ETag across cycles), and failures are typed
 * ProviderErrors naming store, key, path, HTTP status and request id.
 *
 * @public
 */
export class InfisicalProvider implements SecretsProvider {
  /** The ESO provider name: `spec.provider.infisical`. */
  readonly name = PROVIDER_NAME;
  /** What the reconciler may ask of this provider (reads, key listing, change notices). */
  readonly capabilities: ProviderCapabilities = {
    // getSecret is already served from one list per scope and cycle; a
    // flattened readScope would turn one recursive collision into a failure of every key.
    readScope: false,
    versions: false,
    find: { path: true, nameRegexp: true, tags: true },
  };

  readonly #state: ProviderState;
  readonly #metrics: ProviderApiMetrics;
  #shutdown?: Promise<void>;

  constructor(options: InfisicalProviderOptions = {}) {
    const clock = options.clock ?? systemClock;
    const serviceAccountTokenDirs = allowedTokenDirs(
      options.serviceAccountTokenDirs,
    );
    this.#metrics = new ProviderApiMetrics(options.meter);
    const backoff = new LoginBackoff(clock, {
      ...DEFAULT_LOGIN_BACKOFF,
      ...options.loginBackoff,
    });
    this.#state = new ProviderState(
      {
        fetch:
          options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
        clock,
        sleep: options.sleep ?? realSleep,
        random: options.random ?? Math.random,
        requestTimeoutMs:
          options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
        readServiceAccountToken:
          options.readServiceAccountToken ??
          (path => readServiceAccountTokenFile(path, serviceAccountTokenDirs)),
        serviceAccountTokenDirs,
        metrics: this.#metrics,
      },
      new TokenCache(clock, backoff, options.logger),
      options.snapshotCacheSize,
    );
  }

  /** Checks `spec.provider.infisical` of a store without any network call; issues name the field. */
  validateStoreSpec(store: SecretStore): ValidationIssue[] {
    return validateInfisicalStoreSpec(store);
  }

  /** The API base every call of this store goes to (login, reads, revocation). */
  endpoints(store: SecretStore): string[] {
    return [normalizeHostApi(store.spec.provider.infisical?.hostAPI)];
  }

  /** Logs in (or reuses the cached token), resolves the project and lists the scope. */
  async validateStore(
    store: SecretStore,
    context: StoreContext,
  ): Promise<StoreValidationResult> {
    try {
      const session = await StoreSession.open(store, context, this.#state);
      // Validation asks again about a project Infisical said does not exist.
      session.forgetUnknownProject();
      const client = new InfisicalSecretsClient(session);
      const snapshot = await client.readStoreScope();
      // Secrets listed prove the scope exists; an empty listing does not.
      if (snapshot.size === 0) await client.confirmScopeExists();
      await client.close();
      const { projectSlug, environment, secretsPath, recursive } =
        session.scope;
      return {
        ready: true,
        reason: 'Valid',
        message: `Authenticated with ${
          session.identity.kind
        } and listed ${projectSlug}/${environment}:${secretsPath}${
          recursive ? ' (recursive)' : ''
        }: ${snapshot.size} secret(s) visible`,
      };
    } catch (error) {
      return {
        ready: false,
        reason: 'InvalidProviderConfig',
        message: (error as Error).message,
      };
    }
  }

  /** A client for one store, with that store's own identity, token cache and read scopes. */
  async newClient(
    store: SecretStore,
    context: StoreContext,
  ): Promise<SecretsClient> {
    return new InfisicalSecretsClient(
      await StoreSession.open(store, context, this.#state),
    );
  }

  /** Revokes every cached access token and closes the TLS agents. Safe to call more than once. */
  /** A `secrets.modified` webhook concerns stores of its environment and project. */
  changeAffectsStore(store: SecretStore, change: ProviderChange): boolean {
    if (change.provider !== PROVIDER_NAME) return false;
    const scope = store.spec.provider.infisical?.secretsScope;
    if (!scope) return false;
    const slugSuffix = `\u0000${scope.projectSlug.trim()}`;
    const knownProjectIds = [...this.#state.projectIds]
      .filter(([key]) => key.endsWith(slugSuffix))
      .map(([, id]) => id);
    return changeAffectsScope(
      { environment: scope.environmentSlug.trim() },
      knownProjectIds,
      change,
    );
  }

  /** Closes the HTTP connections and forgets cached tokens; called when the backend stops. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      await this.#state.tokens.revokeAll();
      await this.#state.agents.closeAll();
      this.#state.snapshots.clear();
      this.#state.projectIds.clear();
      this.#state.projectLookupRoutes.clear();
      this.#state.unknownProjects.clear();
    })();
    return this.#shutdown;
  }

  /** In-process counts of HTTP attempts by call and status, for tests and benchmarks. */
  apiCallCounts(): ApiCallCount[] {
    return this.#metrics.counts();
  }
}
