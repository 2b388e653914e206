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
  | 'listSecretsV4'
  | 'getSecretV4'
  | 'listSecretsV3'
  | 'getSecretV3'
  | 'listFolders';

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

/** @public */
export type SimulatorOptions = {
  /** Milliseconds since the epoch; share it with the provider under test. */
  now?: () => number;
  /** Serve `/api/v4/secrets*`. Default true; false simulates an instance that predates v4. */
  v4?: boolean;
  /** Serve `/api/v1/projects/slug/:slug`. Default true; false leaves only `/api/v1/workspace/slug/:slug`. */
  projectsRoute?: boolean;
  /** Renew returns the same token string (older releases) instead of a new one. */
  renewReturnsSameToken?: boolean;
  /** How several `tagSlugs` combine. Infisical's choice is not verified; default any-of. */
  tagSlugsMode?: 'any' | 'all';
  /** Include `tags` in list answers. Default true; false simulates an instance that omits them. */
  listTags?: boolean;
};
