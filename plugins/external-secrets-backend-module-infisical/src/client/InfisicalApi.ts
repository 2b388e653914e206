import { isMissingRouteAnswer } from './InfisicalApiError';
import type { InfisicalHttpClient } from './InfisicalHttpClient';
import {
  parseLogin,
  parseProjectId,
  parseSecretList,
  parseSingleSecret,
} from './parseWire';
import type {
  ApiVersion,
  LoginResult,
  WireSecret,
  WireSecretList,
} from './wireTypes';

/** What a list or single-secret read is about. */
export type SecretsQuery = {
  version: ApiVersion;
  /** Required by v4. */
  projectId?: string;
  /** Used by v3 (`workspaceSlug`). */
  projectSlug: string;
  environment: string;
  secretPath: string;
  includeImports: boolean;
  expandSecretReferences: boolean;
};

/**
 * The project-lookup routes, in the order they are tried: current upstream
 * (and ESO) use `/v1/projects/slug/:slug`; older self-hosted builds (the
 * recorded 2024-10 one) serve only `/v2/workspace/:slug`; releases in between
 * `/v1/workspace/slug/:slug`. Each answers the project with `id` at the top
 * level (or under `project` / `workspace`).
 */
export const PROJECT_LOOKUP_ROUTES = [
  (slug: string) => `/v1/projects/slug/${encodeURIComponent(slug)}`,
  (slug: string) => `/v2/workspace/${encodeURIComponent(slug)}`,
  (slug: string) => `/v1/workspace/slug/${encodeURIComponent(slug)}`,
] as const;

/** Thrown when the host serves none of PROJECT_LOOKUP_ROUTES (each answered fastify's "Route ... not found"). */
export class ProjectLookupUnavailable extends Error {
  readonly name = 'ProjectLookupUnavailable';
  constructor(readonly baseUrl: string) {
    super(
      `Infisical at ${baseUrl} serves none of the project lookup routes (/api/v1/projects/slug/:slug, /api/v2/workspace/:slug, /api/v1/workspace/slug/:slug)`,
    );
  }
}

export type ListSecretsResult =
  | { notModified: true; etag?: string }
  | { notModified: false; list: WireSecretList; etag?: string };

/**
 * Infisical's endpoints, typed. One instance per store session; all calls go
 * through the session's HTTP client (its CA, timeout, retries and metrics).
 */
export class InfisicalApi {
  constructor(private readonly http: InfisicalHttpClient) {}

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  async universalAuthLogin(
    credentials: {
      clientId: string;
      clientSecret: string;
      organizationSlug?: string;
    },
    signal?: AbortSignal,
  ): Promise<LoginResult> {
    const call = 'MachineIdentityLoginViaUniversalAuth';
    const response = await this.http.send({
      call,
      method: 'POST',
      path: '/v1/auth/universal-auth/login',
      body: withOrganization(
        {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
        },
        credentials.organizationSlug,
      ),
      signal,
    });
    return parseLogin(call, response.notModified ? undefined : response.body);
  }

  async kubernetesAuthLogin(
    credentials: { identityId: string; jwt: string; organizationSlug?: string },
    signal?: AbortSignal,
  ): Promise<LoginResult> {
    const call = 'MachineIdentityLoginViaKubernetesAuth';
    const response = await this.http.send({
      call,
      method: 'POST',
      path: '/v1/auth/kubernetes-auth/login',
      body: withOrganization(
        { identityId: credentials.identityId, jwt: credentials.jwt },
        credentials.organizationSlug,
      ),
      signal,
    });
    return parseLogin(call, response.notModified ? undefined : response.body);
  }

  async renewToken(
    accessToken: string,
    signal?: AbortSignal,
  ): Promise<LoginResult> {
    const call = 'RenewAccessToken';
    const response = await this.http.send({
      call,
      method: 'POST',
      path: '/v1/auth/token/renew',
      body: { accessToken },
      signal,
    });
    return parseLogin(call, response.notModified ? undefined : response.body);
  }

  async revokeToken(accessToken: string, signal?: AbortSignal): Promise<void> {
    await this.http.send({
      call: 'RevokeAccessToken',
      method: 'POST',
      path: '/v1/auth/token/revoke',
      body: { accessToken },
      signal,
    });
  }

  /**
   * Resolves a project slug to its id through PROJECT_LOOKUP_ROUTES, starting
   * with `firstRoute` (the one this host answered on before) and then in their
   * fixed order. Only fastify's "Route ... not found" moves on to the next
   * route: Infisical's own answer (a NotFound, a 403, a 500 for an unknown
   * slug) is the answer. Throws ProjectLookupUnavailable when the host serves
   * none of them.
   */
  async getProjectIdBySlug(
    token: string,
    slug: string,
    signal?: AbortSignal,
    firstRoute = 0,
  ): Promise<{ id: string; route: number }> {
    const call = 'GetWorkspaceBySlug';
    const order = [firstRoute, ...PROJECT_LOOKUP_ROUTES.keys()].filter(
      (route, index, all) => all.indexOf(route) === index,
    );
    for (const route of order) {
      try {
        const response = await this.http.send({
          call,
          method: 'GET',
          path: PROJECT_LOOKUP_ROUTES[route](slug),
          token,
          signal,
        });
        const id = parseProjectId(
          call,
          response.notModified ? undefined : response.body,
        );
        return { id, route };
      } catch (error) {
        if (!isMissingRouteAnswer(error)) throw error;
      }
    }
    throw new ProjectLookupUnavailable(this.baseUrl);
  }

  /** Lists a folder (v4 `/v4/secrets`, or v3 `/v3/secrets/raw`), conditionally on `etag`. */
  async listSecrets(
    token: string,
    query: SecretsQuery & { recursive: boolean; tagSlugs?: string[] },
    etag: string | undefined,
    signal?: AbortSignal,
  ): Promise<ListSecretsResult> {
    const call = query.version === 'v4' ? 'GetSecretsV4' : 'GetSecretsV3';
    const response = await this.http.send({
      call,
      method: 'GET',
      path: query.version === 'v4' ? '/v4/secrets' : '/v3/secrets/raw',
      query: {
        ...projectParams(query),
        environment: query.environment,
        secretPath: query.secretPath,
        recursive: String(query.recursive),
        include_imports: String(query.includeImports),
        expandSecretReferences: String(query.expandSecretReferences),
        tagSlugs: query.tagSlugs?.length ? query.tagSlugs.join(',') : undefined,
      },
      token,
      etag,
      signal,
    });
    if (response.notModified)
      return { notModified: true, etag: response.etag ?? etag };
    return {
      notModified: false,
      list: parseSecretList(call, response.body),
      etag: response.etag,
    };
  }

  /** Reads one secret by name; its 404 message tells a missing folder from a missing key. */
  async getSecret(
    token: string,
    query: SecretsQuery,
    name: string,
    signal?: AbortSignal,
  ): Promise<WireSecret> {
    const call =
      query.version === 'v4' ? 'GetSecretByKeyV4' : 'GetSecretByKeyV3';
    const prefix = query.version === 'v4' ? '/v4/secrets/' : '/v3/secrets/raw/';
    const response = await this.http.send({
      call,
      method: 'GET',
      path: `${prefix}${encodeURIComponent(name)}`,
      query: {
        ...projectParams(query),
        environment: query.environment,
        secretPath: query.secretPath,
        include_imports: String(query.includeImports),
        expandSecretReferences: String(query.expandSecretReferences),
      },
      token,
      signal,
    });
    return parseSingleSecret(
      call,
      response.notModified ? undefined : response.body,
    );
  }
}

function projectParams(
  query: SecretsQuery,
): Record<string, string | undefined> {
  return query.version === 'v4'
    ? { projectId: query.projectId }
    : { workspaceSlug: query.projectSlug };
}

function withOrganization(
  body: Record<string, string>,
  organizationSlug: string | undefined,
): Record<string, string> {
  return organizationSlug ? { ...body, organizationSlug } : body;
}
