import { createHash } from 'node:crypto';
import { isSimError, SimulatorAuth, type SimError } from './SimulatorAuth';
import { SimulatorReads, type Answer } from './SimulatorReads';
import { SimulatorWrites } from './SimulatorWrites';
import { SimulatorStore, type SimProject } from './SimulatorStore';
import type {
  SimulatorFault,
  SimulatorLogEntry,
  SimulatorOptions,
  SimulatorProfile,
  SimulatorRequest,
  SimulatorResponse,
  SimulatorRoute,
  SimulatorTokenSettings,
} from './types';

type Routed = { route: SimulatorRoute; params: Record<string, string> };
type Reply = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
};
type Handled = { reply: Reply; identityId?: string; tokenId?: string };

const ROUTES: { method: string; pattern: RegExp; route: SimulatorRoute }[] = [
  {
    method: 'POST',
    pattern: /^\/api\/v1\/auth\/universal-auth\/login$/,
    route: 'universalAuthLogin',
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/auth\/kubernetes-auth\/login$/,
    route: 'kubernetesAuthLogin',
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/auth\/token\/renew$/,
    route: 'renewToken',
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/auth\/token\/revoke$/,
    route: 'revokeToken',
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/projects\/slug\/(?<slug>[^/]+)$/,
    route: 'getProjectBySlug',
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/workspace\/slug\/(?<slug>[^/]+)$/,
    route: 'getWorkspaceBySlug',
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/workspace\/(?<slug>[^/]+)$/,
    route: 'getWorkspaceV2',
  },
  { method: 'GET', pattern: /^\/api\/v4\/secrets$/, route: 'listSecretsV4' },
  {
    method: 'GET',
    pattern: /^\/api\/v4\/secrets\/(?<name>[^/]+)$/,
    route: 'getSecretV4',
  },
  {
    method: 'GET',
    pattern: /^\/api\/v3\/secrets\/raw$/,
    route: 'listSecretsV3',
  },
  {
    method: 'GET',
    pattern: /^\/api\/v3\/secrets\/raw\/(?<name>[^/]+)$/,
    route: 'getSecretV3',
  },
  { method: 'GET', pattern: /^\/api\/v1\/folders$/, route: 'listFolders' },
  {
    method: 'POST',
    pattern: /^\/api\/v3\/secrets\/raw\/(?<name>[^/]+)$/,
    route: 'createSecretV3',
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/v3\/secrets\/raw\/(?<name>[^/]+)$/,
    route: 'updateSecretV3',
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/v3\/secrets\/raw\/(?<name>[^/]+)$/,
    route: 'deleteSecretV3',
  },
];

type ResolvedOptions = {
  profile: SimulatorProfile;
  v4: boolean;
  projectsRoute: boolean;
  workspaceSlugRoute: boolean;
  workspaceV2Route: boolean;
  loginLockout: number | false;
  renewReturnsSameToken: boolean;
  tagSlugsMode: 'any' | 'all';
  listTags: boolean;
};

/** The profile's defaults, overridden by explicit options. */
function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const profile = options.profile ?? 'current';
  const current = profile === 'current';
  return {
    profile,
    v4: options.v4 ?? current,
    projectsRoute: options.projectsRoute ?? current,
    workspaceSlugRoute: options.workspaceSlugRoute ?? current,
    workspaceV2Route: options.workspaceV2Route ?? !current,
    loginLockout: options.loginLockout ?? (current ? 3 : false),
    renewReturnsSameToken: options.renewReturnsSameToken ?? false,
    tagSlugsMode: options.tagSlugsMode ?? 'any',
    listTags: options.listTags ?? true,
  };
}

/** Headers every recorded answer carries (fastify with @fastify/etag). */
const BASE_HEADERS = {
  vary: 'Origin',
  'content-type': 'application/json; charset=utf-8',
};

/**
 * An in-memory Infisical that answers as a real server was recorded answering
 * (docs/infisical-recorded.md): projects (slug → id), environments,
 * folders, versioned secrets, imports (local wins), tags, secret references,
 * a strong ETag on every answer and 304 on an exact `If-None-Match`, Universal
 * and Kubernetes auth with TTL / max TTL / renew / revoke / use limits, the
 * Universal Auth lockout (configurable), the v3 write routes, a server
 * `profile` (`current` or the recorded `2024-10` build), fault injection and a
 * request log. Serve it with `createInfisicalHandlers` (msw) or
 * `startInfisicalSimulatorServer` (a local HTTP(S) server).
 *
 * @public
 */
export class InfisicalSimulator {
  readonly #store = new SimulatorStore();
  readonly #auth: SimulatorAuth;
  readonly #reads: SimulatorReads;
  readonly #writes: SimulatorWrites;
  readonly #faults: SimulatorFault[] = [];
  readonly #log: SimulatorLogEntry[] = [];
  readonly #options: ResolvedOptions;
  readonly #now: () => number;

  constructor(options: SimulatorOptions = {}) {
    this.#now = options.now ?? (() => Date.now());
    this.#options = resolveOptions(options);
    this.#auth = new SimulatorAuth(
      this.#now,
      this.#options.renewReturnsSameToken,
      this.#options.loginLockout,
    );
    this.#reads = new SimulatorReads(this.#store, this.#auth, {
      ...this.#options,
      slugLookupFailsWith500: this.#options.profile === '2024-10',
    });
    this.#writes = new SimulatorWrites(this.#store, this.#auth);
  }

  /** The server build this simulator answers like. */
  get profile(): SimulatorProfile {
    return this.#options.profile;
  }

  // ---- Arrange -----------------------------------------------------------

  /** Adds a project; returns its id. Environments default to dev, staging, prod. */
  addProject(options: {
    slug: string;
    id?: string;
    name?: string;
    environments?: string[];
  }): string {
    return this.#store.addProject(options).id;
  }

  /** The id of a project added earlier (webhooks name projects by id). */
  projectId(slug: string): string {
    return this.project(slug).id;
  }

  /** Creates a folder (and its parents) in a project environment. */
  addFolder(options: {
    project: string;
    environment: string;
    path: string;
  }): void {
    this.#store.ensureFolder(
      this.project(options.project).id,
      options.environment,
      options.path,
    );
  }

  /** Deletes a folder and everything below it. */
  deleteFolder(options: {
    project: string;
    environment: string;
    path: string;
  }): void {
    this.#store.deleteFolder(
      this.project(options.project).id,
      options.environment,
      options.path,
    );
  }

  /** Creates or updates a secret (creating its folders); returns the new version. */
  setSecret(options: {
    project: string;
    environment: string;
    path?: string;
    key: string;
    value: string;
    tags?: string[];
  }): number {
    const project = this.project(options.project);
    return this.#store.setSecret(
      project.id,
      options.environment,
      options.path ?? '/',
      options.key,
      options.value,
      options.tags,
    );
  }

  /** Deletes a secret; later reads answer 404 as Infisical does. */
  deleteSecret(options: {
    project: string;
    environment: string;
    path?: string;
    key: string;
  }): void {
    this.#store.deleteSecret(
      this.project(options.project).id,
      options.environment,
      options.path ?? '/',
      options.key,
    );
  }

  /** Imports `from` into the folder at `path`. */
  addImport(options: {
    project: string;
    environment: string;
    path?: string;
    from: { environment: string; path: string };
  }): void {
    this.#store.addImport(
      this.project(options.project).id,
      options.environment,
      options.path ?? '/',
      options.from,
    );
  }

  /** Adds a machine identity that logs in with Universal Auth (`clientId` / `clientSecret`). */
  addUniversalAuthIdentity(options: {
    identityId?: string;
    clientId: string;
    clientSecret: string;
    clientSecretTtlSeconds?: number;
    clientSecretNumUsesLimit?: number;
    token?: SimulatorTokenSettings;
  }): string {
    return this.#auth.addUniversalAuthIdentity(options);
  }

  /** `serviceAccountJwts` are the JWTs the cluster's TokenReview would accept for this identity. */
  addKubernetesAuthIdentity(options: {
    identityId: string;
    serviceAccountJwts: string[];
    token?: SimulatorTokenSettings;
  }): string {
    return this.#auth.addKubernetesAuthIdentity(options);
  }

  /**
   * Lets an identity read a project (all environments unless listed);
   * `readValue: false` hides values; `write: true` also allows the v3 write
   * routes (without it the identity is a viewer).
   */
  grant(
    identityId: string,
    project: string,
    options: {
      environments?: string[];
      readValue?: boolean;
      write?: boolean;
    } = {},
  ): void {
    this.#auth.grant(identityId, {
      projectId: this.project(project).id,
      environments: options.environments
        ? new Set(options.environments)
        : undefined,
      readValue: options.readValue ?? true,
      write: options.write ?? false,
    });
  }

  /** A secret's current value and version, or undefined (to assert what a write did). */
  secret(options: {
    project: string;
    environment: string;
    path?: string;
    key: string;
  }): { value: string; version: number } | undefined {
    return this.#store.peekSecret(
      this.project(options.project).id,
      options.environment,
      options.path ?? '/',
      options.key,
    );
  }

  /** Makes matching requests fail as described (status, error body, headers, latency, dropped connection). */
  injectFault(fault: SimulatorFault): void {
    this.#faults.push({ times: 1, ...fault });
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Revokes every access token issued to the identity. */
  revokeTokensOf(identityId: string): void {
    this.#auth.revokeTokensOf(identityId);
  }

  // ---- Assert ------------------------------------------------------------

  /** Every request served, oldest first (optionally of one route). */
  requests(route?: SimulatorRoute): SimulatorLogEntry[] {
    return this.#log.filter(entry => !route || entry.route === route);
  }

  /** Empties the request log. */
  clearRequests(): void {
    this.#log.length = 0;
  }

  /** The ids of the access tokens still valid (of one identity, or all). */
  activeTokenIds(identityId?: string): string[] {
    return this.#auth.activeTokenIds(identityId);
  }

  /** True while Universal Auth logins of `clientId` are locked out after repeated failures. */
  isLockedOut(clientId: string): boolean {
    return this.#auth.isLockedOut(clientId);
  }

  // ---- Serve -------------------------------------------------------------

  /** Answers one HTTP request as Infisical would; the msw handlers and the server both call it. */
  async handle(request: SimulatorRequest): Promise<SimulatorResponse> {
    const url = new URL(request.url);
    const routed = this.route(request.method, url.pathname);
    const entry: SimulatorLogEntry = {
      route: routed?.route ?? 'unknown',
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 404,
      ifNoneMatch: request.headers['if-none-match'],
      at: this.#now(),
    };
    this.#log.push(entry);
    const fault = routed ? this.takeFault(routed.route) : undefined;
    if (fault?.latencyMs)
      await new Promise(resolve => setTimeout(resolve, fault.latencyMs));
    if (fault?.networkError) {
      entry.status = 'network-error';
      return { networkError: true };
    }
    const handled = this.respond(fault, routed, request, url);
    Object.assign(entry, {
      identityId: handled.identityId,
      tokenId: handled.tokenId,
    });
    const response = this.finish(handled.reply, request);
    entry.status = 'status' in response ? response.status : 'network-error';
    return response;
  }

  private respond(
    fault: SimulatorFault | undefined,
    routed: Routed | undefined,
    request: SimulatorRequest,
    url: URL,
  ): Handled {
    if (fault?.status !== undefined) return { reply: this.faultReply(fault) };
    if (!routed)
      return {
        reply: routeNotFound(request.method, `${url.pathname}${url.search}`),
      };
    return this.dispatch(routed, request, url);
  }

  private route(method: string, pathname: string): Routed | undefined {
    for (const candidate of ROUTES) {
      const match = candidate.pattern.exec(pathname);
      if (method.toUpperCase() !== candidate.method || !match) continue;
      if (!this.served(candidate.route)) return undefined;
      const params = Object.fromEntries(
        Object.entries(match.groups ?? {}).map(([k, v]) => [
          k,
          decodeURIComponent(v),
        ]),
      );
      return { route: candidate.route, params };
    }
    return undefined;
  }

  /** Whether this profile serves the route at all (else fastify's 404). */
  private served(route: SimulatorRoute): boolean {
    const options = this.#options;
    if (route.endsWith('V4')) return options.v4;
    if (route === 'getProjectBySlug') return options.projectsRoute;
    if (route === 'getWorkspaceBySlug') return options.workspaceSlugRoute;
    if (route === 'getWorkspaceV2') return options.workspaceV2Route;
    return true;
  }

  private takeFault(route: SimulatorRoute): SimulatorFault | undefined {
    const index = this.#faults.findIndex(f => f.route === route);
    if (index < 0) return undefined;
    const fault = this.#faults[index];
    const times = (fault.times ?? 1) - 1;
    if (times <= 0) this.#faults.splice(index, 1);
    else this.#faults[index] = { ...fault, times };
    return fault;
  }

  private faultReply(fault: SimulatorFault): Reply {
    const status = fault.status!;
    const body =
      fault.body ??
      this.errorBody({
        status,
        error: fault.error ?? defaultErrorName(status),
        message: fault.message ?? `Injected ${status}`,
        details: fault.details,
      });
    return { status, body, headers: fault.headers };
  }

  private dispatch(
    routed: Routed,
    request: SimulatorRequest,
    url: URL,
  ): Handled {
    const body = (
      typeof request.body === 'object' && request.body !== null
        ? request.body
        : {}
    ) as Record<string, unknown>;
    switch (routed.route) {
      case 'universalAuthLogin':
        return { reply: this.answer(this.#auth.universalLogin(body)) };
      case 'kubernetesAuthLogin':
        return { reply: this.answer(this.#auth.kubernetesLogin(body)) };
      case 'renewToken':
        return { reply: this.answer(this.#auth.renew(body)) };
      case 'revokeToken':
        return { reply: this.answer(this.#auth.revoke(body)) };
      case 'createSecretV3':
      case 'updateSecretV3':
      case 'deleteSecretV3':
        return this.authorized(request, token =>
          this.readReply(
            this.#writes.write(
              routed.route,
              routed.params.name,
              body,
              token.identityId,
            ),
          ),
        );
      default:
        return this.authorized(request, token =>
          this.readReply(
            this.#reads.read(routed, url.searchParams, token.identityId),
          ),
        );
    }
  }

  private authorized(
    request: SimulatorRequest,
    run: (token: { identityId: string }) => Reply,
  ): Handled {
    const token = this.#auth.authenticate(request.headers.authorization);
    if (isSimError(token)) return { reply: this.errorReply(token) };
    return {
      reply: run(token),
      identityId: token.identityId,
      tokenId: token.id,
    };
  }

  private answer(result: object | SimError): Reply {
    return isSimError(result)
      ? this.errorReply(result)
      : { status: 200, body: result };
  }

  private readReply(answer: Answer): Reply {
    return isSimError(answer) ? this.errorReply(answer) : answer;
  }

  private errorReply(error: SimError): Reply {
    return { status: error.status, body: this.errorBody(error) };
  }

  /** Recorded: `{statusCode, message, error}`, never a `reqId`. */
  private errorBody(error: SimError) {
    return {
      statusCode: error.status,
      message: error.message,
      error: error.error,
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  }

  /**
   * As recorded (`@fastify/etag`, registered globally): every answer, errors and
   * POSTs included, carries a strong ETag, the quoted standard base64 of the
   * body's sha1; an `If-None-Match` that is exactly that string turns any
   * answer into a 304 with an empty body (a `W/` tag or a list does not match).
   */
  private finish(reply: Reply, request: SimulatorRequest): SimulatorResponse {
    const headers: Record<string, string> = {
      ...BASE_HEADERS,
      ...reply.headers,
    };
    if (reply.body === undefined) return { status: reply.status, headers };
    const etag = etagOf(JSON.stringify(reply.body));
    headers.etag = etag;
    if (request.headers['if-none-match'] === etag) {
      return {
        status: 304,
        headers: { ...BASE_HEADERS, etag, 'content-length': '0' },
      };
    }
    return { status: reply.status, headers, body: reply.body };
  }

  private project(slug: string): SimProject {
    const project = this.#store.projectBySlug(slug);
    if (!project)
      throw new Error(
        `The simulator has no project "${slug}"; call addProject first`,
      );
    return project;
  }
}

/** The strong ETag @fastify/etag computes: `"<base64 sha1 of the payload>"`. */
export function etagOf(payload: string): string {
  return `"${createHash('sha1').update(payload).digest('base64')}"`;
}

/** What fastify answers for an unknown route (the path with its query). */
function routeNotFound(method: string, pathname: string): Reply {
  return {
    status: 404,
    body: {
      message: `Route ${method}:${pathname} not found`,
      error: 'Not Found',
      statusCode: 404,
    },
  };
}

function defaultErrorName(status: number): string {
  if (status === 401) return 'UnauthorizedError';
  if (status === 403) return 'PermissionDenied';
  if (status === 404) return 'NotFound';
  if (status === 422) return 'ValidationFailure';
  if (status === 429) return 'RateLimitExceeded';
  return status >= 500 ? 'InternalServerError' : 'BadRequest';
}
