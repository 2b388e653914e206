import {
  ProjectLookupUnavailable,
  type SecretsQuery,
} from '../client/InfisicalApi';
import { InfisicalApiError } from '../client/InfisicalApiError';
import type { WireSecret } from '../client/wireTypes';
import { ScopeSnapshot } from './ScopeSnapshot';
import type { StoreSession } from './StoreSession';

/** What one single-secret read says about a key missing from its folder's listing. */
export type ProbeResult =
  | { kind: 'found'; secret: WireSecret }
  | {
      kind: 'keyMissing' | 'folderMissing' | 'unconfirmed';
      error: InfisicalApiError;
    };

/** One list call's scope (the identity and project come from the session). */
export type ListScope = {
  folder: string;
  recursive: boolean;
  tagSlug?: string;
};

/**
 * The reads of ONE cycle for one store. Each list scope is fetched at most
 * once (concurrent reads await the same promise) and each missing key is
 * probed at most once. Across cycles, the provider's snapshot cache supplies
 * the ETag, so an unchanged scope costs a 304 and no parsing.
 */
export class CycleReader {
  readonly #lists = new Map<string, Promise<ScopeSnapshot>>();
  readonly #probes = new Map<string, Promise<ProbeResult>>();
  /** Scopes whose listing just came back empty after having secrets. */
  readonly #emptied = new Set<string>();

  constructor(private readonly session: StoreSession) {}

  list(scope: ListScope): Promise<ScopeSnapshot> {
    const key = JSON.stringify(scope);
    let pending = this.#lists.get(key);
    if (!pending) {
      pending = this.fetchList(scope);
      this.#lists.set(key, pending);
    }
    return pending;
  }

  /** True when this cycle's listing of `scope` was empty although the previous one was not. */
  emptied(scope: ListScope): boolean {
    return this.#emptied.has(JSON.stringify(scope));
  }

  probe(folder: string, name: string): Promise<ProbeResult> {
    const key = `${folder}\u0000${name}`;
    let pending = this.#probes.get(key);
    if (!pending) {
      pending = this.fetchProbe(folder, name);
      this.#probes.set(key, pending);
    }
    return pending;
  }

  clear(): void {
    this.#lists.clear();
    this.#probes.clear();
    this.#emptied.clear();
  }

  private async fetchList(scope: ListScope): Promise<ScopeSnapshot> {
    const { session } = this;
    const cacheKey = this.cacheKey(scope);
    session.assertProjectNotKnownMissing();
    return session
      .withToken(async token => {
        const query = await this.query(token, scope.folder);
        const { version } = query;
        const cached = session.state.snapshots.get(cacheKey);
        const etag = cached?.version === version ? cached.etag : undefined;
        let result;
        try {
          result = await session.api.listSecrets(
            token,
            {
              ...query,
              recursive: scope.recursive,
              tagSlugs: scope.tagSlug ? [scope.tagSlug] : undefined,
            },
            etag,
            session.signal,
          );
        } catch (error) {
          if (version === 'v4' && isMissingRoute(error)) {
            session.markLegacyHost('noV4Route');
            return this.fetchList(scope);
          }
          if (error instanceof InfisicalApiError && error.status === 404)
            session.forgetProjectId();
          throw error;
        }
        if (result.notModified && cached) return cached.snapshot;
        if (result.notModified)
          throw new Error(
            'Infisical answered 304 to a request without If-None-Match',
          );
        const snapshot = ScopeSnapshot.fromWire(result.list, scope.folder);
        this.noticeEmptied(scope, cached?.snapshot, snapshot);
        session.state.snapshots.set(cacheKey, {
          etag: result.etag,
          version,
          snapshot,
        });
        return snapshot;
      })
      .catch(error => this.rethrow(error));
  }

  /** Remembers an unknown project (it is not asked again until validation), then rethrows. */
  private rethrow(error: unknown): never {
    this.session.noticeUnknownProject(error);
    throw error;
  }

  private async fetchProbe(folder: string, name: string): Promise<ProbeResult> {
    const { session } = this;
    session.assertProjectNotKnownMissing();
    return session
      .withToken(async token => {
        try {
          const query = await this.query(token, folder);
          const secret = await session.api.getSecret(
            token,
            query,
            name,
            session.signal,
          );
          return { kind: 'found' as const, secret };
        } catch (error) {
          if (!(error instanceof InfisicalApiError) || error.status !== 404)
            throw error;
          return { kind: classifyNotFound(error.serverMessage), error };
        }
      })
      .catch(error => this.rethrow(error));
  }

  /**
   * The read's query for the host's API version. v4 needs the project id; a
   * host that serves no project-lookup route is read through v3, which takes
   * the slug directly, and the log says so. ESO reads only that way
   * (providers/v1/infisical/client.go, GetSecret / GetAllSecrets pass
   * `ProjectSlug` to the Infisical Go SDK's v3 Retrieve / List).
   */
  private async query(token: string, folder: string): Promise<SecretsQuery> {
    const { scope } = this.session;
    const version = this.session.apiVersion();
    const base: SecretsQuery = {
      version,
      projectSlug: scope.projectSlug,
      environment: scope.environment,
      secretPath: folder,
      includeImports: true,
      expandSecretReferences: scope.expandSecretReferences,
    };
    if (version === 'v3') return base;
    try {
      return { ...base, projectId: await this.session.projectId(token) };
    } catch (error) {
      if (!(error instanceof ProjectLookupUnavailable)) throw error;
      this.session.markLegacyHost(error);
      return { ...base, version: 'v3' };
    }
  }

  private cacheKey(scope: ListScope): string {
    const { identity, scope: storeScope } = this.session;
    return [
      identity.cacheKey,
      storeScope.projectSlug,
      storeScope.environment,
      JSON.stringify(scope),
      `expand=${storeScope.expandSecretReferences}`,
    ].join('\u0000');
  }

  /** An empty listing proves nothing (a missing folder lists empty too): warn, never prune. */
  private noticeEmptied(
    scope: ListScope,
    previous: ScopeSnapshot | undefined,
    next: ScopeSnapshot,
  ) {
    if (!previous || previous.size === 0 || next.size > 0) return;
    this.#emptied.add(JSON.stringify(scope));
    const { environment, projectSlug } = this.session.scope;
    this.session.logger.warn(
      `Infisical listed no secrets in ${projectSlug}/${environment}:${
        scope.folder
      }${
        scope.recursive ? ' (recursive)' : ''
      } although the previous read had ${
        previous.size
      }. An empty listing is not treated as proof of deletion: keys are reported missing only when Infisical confirms each one.`,
    );
  }
}

/**
 * A v4 list never answers 404 for a missing folder (it lists it empty), so a
 * 404 without Infisical's error shape, or fastify's "Route ... not found",
 * means the instance predates the v4 routes.
 */
function isMissingRoute(error: unknown): boolean {
  if (!(error instanceof InfisicalApiError) || error.status !== 404)
    return false;
  return (
    error.errorName === undefined ||
    error.errorName === 'Not Found' ||
    /^Route .* not found/i.test(error.serverMessage)
  );
}

/**
 * Infisical's single-secret read says "Folder with path '/x' in environment
 * with slug 'prod' not found" or "Secret with name 'X' not found": the second
 * is the positive evidence that the folder exists and the key does not.
 */
function classifyNotFound(
  message: string,
): 'keyMissing' | 'folderMissing' | 'unconfirmed' {
  if (/^folder with path/i.test(message)) return 'folderMissing';
  if (/^secret with name .* not found/i.test(message)) return 'keyMissing';
  return 'unconfirmed';
}
