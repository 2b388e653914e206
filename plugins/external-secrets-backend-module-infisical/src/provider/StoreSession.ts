import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { StoreContext } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { StoreIdentity } from '../auth/StoreIdentity';
import type { TokenSource } from '../auth/TokenCache';
import { LOGIN_CALLS } from '../client/apiCalls';
import { InfisicalApi, ProjectLookupUnavailable } from '../client/InfisicalApi';
import {
  InfisicalApiError,
  isUnknownProjectAnswer,
} from '../client/InfisicalApiError';
import { InfisicalHttpClient } from '../client/InfisicalHttpClient';
import { Redactor } from '../client/Redactor';
import type { ApiVersion } from '../client/wireTypes';
import { describeStore } from './describeStore';
import { loadCaCertificate } from './loadCaCertificate';
import { normalizeHostApi } from './normalizeHostApi';
import { LEGACY_HOST_RECHECK_MS, type ProviderState } from './ProviderState';
import { readStoreIdentity } from './readStoreIdentity';
import { normalizeFolderPath } from './resolveSecretAddress';
import {
  providerError,
  toProviderError,
  type ErrorContext,
} from './toProviderError';
import { validateInfisicalStoreSpec } from './validateInfisicalStoreSpec';

/** The store's `secretsScope`, defaults applied. */
export type StoreScope = {
  projectSlug: string;
  environment: string;
  /** Normalised folder (`/`, `/app`). */
  secretsPath: string;
  recursive: boolean;
  expandSecretReferences: boolean;
};

/**
 * One store as one reconcile cycle sees it: its scope, identity, API client and
 * access to the provider's shared token, project and snapshot caches.
 */
export class StoreSession {
  private constructor(
    readonly store: string,
    readonly scope: StoreScope,
    readonly identity: StoreIdentity,
    readonly api: InfisicalApi,
    readonly state: ProviderState,
    readonly redactor: Redactor,
    readonly logger: LoggerService,
    readonly signal?: AbortSignal,
  ) {}

  /** Validates the spec, reads the CA and the credentials; no Infisical call yet. */
  static async open(
    secretStore: SecretStore,
    context: StoreContext,
    state: ProviderState,
  ): Promise<StoreSession> {
    const store = describeStore(secretStore);
    const spec = secretStore.spec.provider.infisical;
    const blocking = validateInfisicalStoreSpec(secretStore).filter(
      i => i.severity !== 'warning',
    );
    if (!spec || blocking.length) {
      const errorType = blocking.every(i => i.severity === 'unsupported')
        ? 'UNSUPPORTED'
        : 'INVALID_CONFIG';
      throw providerError(
        errorType,
        blocking.map(i => i.message).join('; ') || 'no infisical provider',
        {
          store,
          action: 'checking the store spec',
        },
      );
    }
    const { runtime } = state;
    const baseUrl = normalizeHostApi(spec.hostAPI);
    const ca = await loadCaCertificate(spec, context, store);
    const identity = await readStoreIdentity({
      spec,
      context,
      baseUrl,
      store,
      kind: secretStore.kind,
      readServiceAccountToken: runtime.readServiceAccountToken,
      serviceAccountTokenDirs: runtime.serviceAccountTokenDirs,
    });
    const redactor = new Redactor();
    redactor.add(...identity.sensitive);
    const http = new InfisicalHttpClient({
      baseUrl,
      // A tenant store's context carries the backend's address guard: its
      // agent checks every address when it connects (SSRF guard).
      dispatcher: state.agents.get(ca, context.addressGuard),
      fetch: runtime.fetch,
      requestTimeoutMs: runtime.requestTimeoutMs,
      retry: runtime.retry,
      clock: runtime.clock,
      sleep: runtime.sleep,
      random: runtime.random,
      metrics: runtime.metrics,
    });
    const scope: StoreScope = {
      projectSlug: spec.secretsScope.projectSlug.trim(),
      environment: spec.secretsScope.environmentSlug.trim(),
      secretsPath: normalizeFolderPath(spec.secretsScope.secretsPath || '/'),
      recursive: spec.secretsScope.recursive === true,
      expandSecretReferences:
        spec.secretsScope.expandSecretReferences !== false,
    };
    const logger = context.logger.child({ provider: 'infisical', store });
    return new StoreSession(
      store,
      scope,
      identity,
      new InfisicalApi(http),
      state,
      redactor,
      logger,
      context.signal,
    );
  }

  errorContext(action: string, key?: string, path?: string): ErrorContext {
    return {
      store: this.store,
      action,
      key,
      path,
      projectSlug: this.scope.projectSlug,
      redactor: this.redactor,
    };
  }

  /**
   * Runs `fn` with a valid access token. When Infisical rejects the token
   * (401, or 403 TokenError) the token is dropped and `fn` runs once more after
   * a fresh login; a second rejection is the caller's error. A 403
   * PermissionDenied never triggers a login: new tokens have the same rights.
   */
  async withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const source = this.tokenSource();
    const token = await this.state.tokens.get(source);
    this.redactor.add(token);
    try {
      return await fn(token);
    } catch (error) {
      if (!isTokenRejection(error)) throw error;
      this.state.tokens.invalidate(this.identity, token);
      this.logger.info(
        `Infisical rejected the access token of ${this.identity.label}; logging in again once`,
      );
      const fresh = await this.state.tokens.get(source);
      this.redactor.add(fresh);
      return await fn(fresh);
    }
  }

  /**
   * The project id for the scope's slug, cached per identity for the
   * provider's lifetime. The lookup starts with the route this host answered
   * on before. Rejects with ProjectLookupUnavailable when the host serves no
   * lookup route (read through v3 by slug then: see noProjectLookup).
   */
  projectId(token: string): Promise<string> {
    const key = this.projectKey();
    const { projectIds, projectIdLookups, projectLookupRoutes } = this.state;
    const cached = projectIds.get(key);
    if (cached) return Promise.resolve(cached);
    let lookup = projectIdLookups.get(key);
    if (!lookup) {
      const host = this.api.baseUrl;
      lookup = this.api
        .getProjectIdBySlug(
          token,
          this.scope.projectSlug,
          this.signal,
          projectLookupRoutes.get(host),
        )
        .then(({ id, route }) => {
          projectLookupRoutes.set(host, route);
          projectIds.set(key, id);
          return id;
        })
        .finally(() => projectIdLookups.delete(key));
      projectIdLookups.set(key, lookup);
    }
    return lookup;
  }

  /**
   * Fails fast, without a request, when Infisical said this scope's project
   * slug does not exist: that answer does not heal, so it is not asked again
   * every cycle, only on the store's next validation (forgetUnknownProject).
   */
  assertProjectNotKnownMissing(): void {
    const known = this.state.unknownProjects.get(this.unknownProjectKey());
    if (known) throw known;
  }

  /** Remembers a "no such project" answer (see assertProjectNotKnownMissing); other errors pass. */
  noticeUnknownProject(error: unknown): void {
    if (isUnknownProjectAnswer(error))
      this.state.unknownProjects.set(this.unknownProjectKey(), error as Error);
  }

  /** Store validation asks Infisical again. */
  forgetUnknownProject(): void {
    this.state.unknownProjects.delete(this.unknownProjectKey());
  }

  /** Drops the cached project id (Infisical said the project is gone). */
  forgetProjectId(): void {
    this.state.projectIds.delete(this.projectKey());
  }

  /** v3 while the host is known to lack the v4 routes, else v4. */
  apiVersion(): ApiVersion {
    const until = this.state.legacyHosts.get(this.api.baseUrl);
    return until !== undefined && this.state.runtime.clock.now() < until
      ? 'v3'
      : 'v4';
  }

  /**
   * Reads this host through v3 for a while, saying why: its v4 list route is
   * missing, or it serves no project-lookup route (v4 needs the project id;
   * v3 takes `workspaceSlug` directly, as ESO does).
   */
  markLegacyHost(cause: 'noV4Route' | ProjectLookupUnavailable): void {
    this.state.legacyHosts.set(
      this.api.baseUrl,
      this.state.runtime.clock.now() + LEGACY_HOST_RECHECK_MS,
    );
    const why =
      cause === 'noV4Route'
        ? `Infisical at ${this.api.baseUrl} has no /api/v4/secrets route`
        : cause.message;
    this.logger.info(
      `${why}; reading through /api/v3/secrets/raw with workspaceSlug`,
    );
  }

  private unknownProjectKey(): string {
    return `${this.api.baseUrl}\u0000${this.projectKey()}`;
  }

  private projectKey(): string {
    return `${this.identity.cacheKey}\u0000${this.scope.projectSlug}`;
  }

  private tokenSource(): TokenSource {
    const loginAction = `logging in with ${this.identity.kind}`;
    const mapped = <T>(action: string, run: () => Promise<T>) =>
      run().catch(error => {
        throw toProviderError(error, this.errorContext(action));
      });
    return {
      identity: this.identity,
      login: () =>
        mapped(loginAction, async () => {
          const result = await this.identity.login(this.api, this.signal);
          this.redactor.add(result.accessToken);
          return result;
        }),
      renew: accessToken =>
        mapped('renewing the access token', async () => {
          const result = await this.api.renewToken(accessToken, this.signal);
          this.redactor.add(result.accessToken);
          return result;
        }),
      // Not tied to the cycle's signal: revocation happens at shutdown.
      revoke: accessToken =>
        mapped('revoking the access token', () =>
          this.api.revokeToken(accessToken),
        ),
    };
  }
}

function isTokenRejection(error: unknown): boolean {
  if (!(error instanceof InfisicalApiError) || LOGIN_CALLS.has(error.call))
    return false;
  return (
    error.status === 401 ||
    (error.status === 403 && error.errorName === 'TokenError')
  );
}
