/** A request as the simulator sees it (from msw or the local server). @public */
export type SimulatorRequest = {
  method: string;
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, when there is one. */
  body?: unknown;
};

/** A simulated answer, or a dropped connection. @public */
export type SimulatorResponse =
  | { status: number; headers: Record<string, string>; body?: unknown }
  | { networkError: true };

/** The Infisical routes the simulator serves. @public */
export type SimulatorRoute =
  | 'universalAuthLogin'
  | 'kubernetesAuthLogin'
  | 'renewToken'
  | 'revokeToken'
  | 'getProjectBySlug'
  | 'getWorkspaceBySlug'
  | 'getWorkspaceV2'
  | 'listSecretsV4'
  | 'getSecretV4'
  | 'listSecretsV3'
  | 'getSecretV3'
  | 'listFolders'
  | 'createSecretV3'
  | 'updateSecretV3'
  | 'deleteSecretV3';

/** One served request, for assertions. Never holds a token or a value. @public */
export type SimulatorLogEntry = {
  route: SimulatorRoute | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | 'network-error';
  /** The identity whose access token authorised the call, if any. */
  identityId?: string;
  /** Internal id of the access token used (distinct per login, stable across renewals). */
  tokenId?: string;
  ifNoneMatch?: string;
  /** Simulator clock at arrival. */
  at: number;
};

/**
 * A failure to inject on a route: a status (with Infisical's error body unless
 * `body` is given), extra headers such as Retry-After, added latency, or a
 * dropped connection. Applies to the next `times` requests (default 1).
 *
 * @public
 */
export type SimulatorFault = {
  route: SimulatorRoute;
  status?: number;
  /** Infisical's `error` name for the default body, e.g. `TokenError`, `PermissionDenied`. */
  error?: string;
  message?: string | unknown[];
  details?: unknown;
  body?: unknown;
  headers?: Record<string, string>;
  /** Real milliseconds to wait before answering (or before the normal answer when no status is set). */
  latencyMs?: number;
  networkError?: boolean;
  /** How many requests it affects; `Infinity` for all. Default 1. */
  times?: number;
};

/** Access-token settings of an identity (Infisical's defaults: 30 days, no use limit). @public */
export type SimulatorTokenSettings = {
  accessTokenTTL?: number;
  accessTokenMaxTTL?: number;
  accessTokenNumUsesLimit?: number;
};

/**
 * Which real Infisical build the simulator answers like:
 * - `current`: current upstream (v4 and v3 secrets, project lookup at
 *   `/api/v1/projects/slug/:slug`, and `/api/v1/workspace/slug/:slug`, Universal
 *   Auth lockout after 3 failures);
 * - `2024-10`: the recorded 2024-10 build (v3 only, project lookup at
 *   `/api/v2/workspace/:slug` only, no lockout).
 *
 * @public
 */
export type SimulatorProfile = 'current' | '2024-10';

/**
 * Options of `new InfisicalSimulator(...)`: the server profile and the overrides of its routes,
 * lockout and token settings.
 *
 * @public
 */
export type SimulatorOptions = {
  /** Milliseconds since the epoch; share it with the provider under test. */
  now?: () => number;
  /** The server build to answer like. Default `current`; the options below override it. */
  profile?: SimulatorProfile;
  /** Serve `/api/v4/secrets*`. Default: true on `current`, false on `2024-10`. */
  v4?: boolean;
  /** Serve `/api/v1/projects/slug/:slug`. Default: true on `current`, false on `2024-10`. */
  projectsRoute?: boolean;
  /** Serve `/api/v1/workspace/slug/:slug` (releases between). Default: true on `current`, false on `2024-10`. */
  workspaceSlugRoute?: boolean;
  /** Serve `/api/v2/workspace/:slug`. Default: false on `current`, true on `2024-10`. */
  workspaceV2Route?: boolean;
  /** Failed Universal Auth logins (within 30 s) that lock a client out for 300 s; `false` = no lockout. Default: 3 on `current`, off on `2024-10`. */
  loginLockout?: number | false;
  /** Renew returns the same token string (older releases) instead of a new one. */
  renewReturnsSameToken?: boolean;
  /** How several `tagSlugs` combine. Infisical's choice is not verified; default any-of. */
  tagSlugsMode?: 'any' | 'all';
  /** Include `tags` in list answers. Default true; false simulates an instance that omits them. */
  listTags?: boolean;
};
