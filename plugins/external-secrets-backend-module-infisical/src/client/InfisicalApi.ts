import { InfisicalApiError } from './InfisicalApiError';
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
   * Resolves a project slug to its id. The route moved across releases:
   * `/v1/projects/slug/:slug` on current ones, `/v1/workspace/slug/:slug` on
   * older ones; a 404 on the first tries the second (as ESO does).
   */
  async getProjectIdBySlug(
    token: string,
    slug: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const call = 'GetWorkspaceBySlug';
    const paths = [
      `/v1/projects/slug/${encodeURIComponent(slug)}`,
      `/v1/workspace/slug/${encodeURIComponent(slug)}`,
    ];
    for (const [index, path] of paths.entries()) {
      try {
        const response = await this.http.send({
          call,
          method: 'GET',
          path,
          token,
          signal,
        });
        return parseProjectId(
          call,
          response.notModified ? undefined : response.body,
        );
      } catch (error) {
        const tryNext =
          error instanceof InfisicalApiError &&
          error.status === 404 &&
          index < paths.length - 1;
        if (!tryNext) throw error;
      }
    }
    throw new Error(
      'unreachable: the last project route either answers or throws',
    );
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
