import { randomBytes } from 'node:crypto';
import type { SimulatorTokenSettings } from './types';

/** An Infisical error answer (status, `error` name, message). */
export type SimError = {
  status: number;
  error: string;
  message: string | unknown[];
  details?: unknown;
};

type ClientSecret = {
  secret: string;
  ttlSeconds: number;
  numUsesLimit: number;
  uses: number;
  createdAt: number;
  revoked: boolean;
};
type Identity = {
  identityId: string;
  settings: Required<SimulatorTokenSettings>;
  universal?: { clientId: string; clientSecrets: ClientSecret[] };
  kubernetesJwts?: Set<string>;
};
type TokenRecord = {
  id: string;
  identityId: string;
  createdAt: number;
  lastRenewedAt?: number;
  ttl: number;
  maxTTL: number;
  numUses: number;
  numUsesLimit: number;
  revoked: boolean;
};
export type Grant = {
  projectId: string;
  environments?: Set<string>;
  readValue: boolean;
  /** May create, edit and delete secrets (a viewer may not). */
  write?: boolean;
};
type Lockout = {
  failures: number;
  counterExpiresAt: number;
  lockedUntil?: number;
};

/** Infisical's Universal Auth lockout timings (current upstream; the threshold is an option). */
const LOCKOUT = { counterResetMs: 30_000, durationMs: 300_000 };
/** Issued access tokens look like this; anything else is "malformed", as a non-JWT is to Infisical. */
const TOKEN_PREFIX = 'sim-at.';
const THIRTY_DAYS = 2_592_000;

export type LoginAnswer = {
  accessToken: string;
  expiresIn: number;
  accessTokenMaxTTL: number;
  tokenType: 'Bearer';
};

/** Machine identities, their logins, access tokens, use limits, lockouts and project grants. */
export class SimulatorAuth {
  readonly #identities = new Map<string, Identity>();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #lockouts = new Map<string, Lockout>();
  readonly #grants = new Map<string, Grant[]>();
  #ids = 0;

  constructor(
    private readonly now: () => number,
    private readonly renewReturnsSameToken: boolean,
    /** Failures that lock a client out; false = no lockout (the 2024-10 build). */
    private readonly lockoutThreshold: number | false = 3,
  ) {}

  addUniversalAuthIdentity(options: {
    identityId?: string;
    clientId: string;
    clientSecret: string;
    clientSecretTtlSeconds?: number;
    clientSecretNumUsesLimit?: number;
    token?: SimulatorTokenSettings;
  }): string {
    const identityId = options.identityId ?? `identity-${++this.#ids}`;
    this.#identities.set(identityId, {
      identityId,
      settings: settingsOf(options.token),
      universal: {
        clientId: options.clientId,
        clientSecrets: [
          {
            secret: options.clientSecret,
            ttlSeconds: options.clientSecretTtlSeconds ?? 0,
            numUsesLimit: options.clientSecretNumUsesLimit ?? 0,
            uses: 0,
            createdAt: this.now(),
            revoked: false,
          },
        ],
      },
    });
    return identityId;
  }

  addKubernetesAuthIdentity(options: {
    identityId: string;
    serviceAccountJwts: string[];
    token?: SimulatorTokenSettings;
  }): string {
    this.#identities.set(options.identityId, {
      identityId: options.identityId,
      settings: settingsOf(options.token),
      kubernetesJwts: new Set(options.serviceAccountJwts),
    });
    return options.identityId;
  }

  grant(identityId: string, grant: Grant): void {
    this.#grants.set(identityId, [
      ...(this.#grants.get(identityId) ?? []),
      grant,
    ]);
  }

  grantsOf(identityId: string): Grant[] {
    return this.#grants.get(identityId) ?? [];
  }

  universalLogin(body: Record<string, unknown>): LoginAnswer | SimError {
    const missing = requireFields(body, ['clientId', 'clientSecret']);
    if (missing) return missing;
    const identity = [...this.#identities.values()].find(
      i => i.universal?.clientId === body.clientId,
    );
    if (!identity?.universal) {
      // Recorded: an unknown clientId is a 404, unlike a wrong secret (401).
      return {
        status: 404,
        error: 'NotFound',
        message: 'No identity with specified client ID was found',
      };
    }
    const lockout = this.#lockouts.get(identity.universal.clientId);
    if (lockout?.lockedUntil && this.now() < lockout.lockedUntil) {
      return unauthorized(
        'This identity auth method is temporarily locked, please try again later',
      );
    }
    const secret = identity.universal.clientSecrets.find(
      s => !s.revoked && s.secret === body.clientSecret,
    );
    if (!secret) {
      this.recordFailure(identity.universal.clientId);
      return unauthorized('Invalid credentials');
    }
    this.#lockouts.delete(identity.universal.clientId);
    if (
      secret.ttlSeconds > 0 &&
      this.now() > secret.createdAt + secret.ttlSeconds * 1000
    ) {
      secret.revoked = true;
      return unauthorized('Access denied due to expired client secret');
    }
    if (secret.numUsesLimit > 0 && secret.uses >= secret.numUsesLimit) {
      secret.revoked = true;
      return unauthorized(
        'Access denied due to client secret usage limit reached',
      );
    }
    secret.uses += 1;
    return this.issue(identity);
  }

  kubernetesLogin(body: Record<string, unknown>): LoginAnswer | SimError {
    const missing = requireFields(body, ['identityId', 'jwt']);
    if (missing) return missing;
    const identity = this.#identities.get(String(body.identityId));
    if (!identity?.kubernetesJwts)
      return unauthorized(
        'Kubernetes auth is not configured for this identity',
      );
    if (!identity.kubernetesJwts.has(String(body.jwt))) {
      return unauthorized(
        'Access denied: the Kubernetes TokenReview rejected the service account token',
      );
    }
    return this.issue(identity);
  }

  renew(body: Record<string, unknown>): LoginAnswer | SimError {
    const missing = requireFields(body, ['accessToken']);
    if (missing) return missing;
    const token = String(body.accessToken);
    const record = this.#tokens.get(token);
    if (!record || record.revoked)
      return unauthorized('No identity access token found');
    const now = this.now();
    if (this.expired(record)) {
      this.forget(record);
      return unauthorized(
        'Failed to renew MI access token due to TTL expiration',
      );
    }
    if (
      record.maxTTL > 0 &&
      now + record.ttl * 1000 > record.createdAt + record.maxTTL * 1000
    ) {
      this.forget(record);
      return unauthorized(
        'Failed to renew MI access token past its Max TTL expiration',
      );
    }
    record.lastRenewedAt = now;
    const accessToken = this.renewReturnsSameToken ? token : newTokenString();
    this.#tokens.set(accessToken, record);
    return {
      accessToken,
      expiresIn: record.ttl,
      accessTokenMaxTTL: record.maxTTL,
      tokenType: 'Bearer',
    };
  }

  revoke(body: Record<string, unknown>): { message: string } | SimError {
    const record = this.#tokens.get(String(body.accessToken ?? ''));
    if (!record) return unauthorized('Invalid access token');
    record.revoked = true;
    return { message: 'Successfully revoked access token' };
  }

  /** Checks a bearer token as Infisical's auth plugin does, counting a use. */
  authenticate(authorization: string | undefined): TokenRecord | SimError {
    const token = authorization?.replace(/^Bearer\s+/i, '');
    if (!token) return unauthorized('Token missing');
    if (!token.startsWith(TOKEN_PREFIX)) {
      return {
        status: 403,
        error: 'TokenError',
        message:
          'The provided access token is malformed. Please use a valid token or generate a new one and try again.',
      };
    }
    const record = this.#tokens.get(token);
    if (!record || record.revoked)
      return unauthorized('No identity access token found');
    if (this.expired(record)) {
      return unauthorized(
        'Failed to renew MI access token due to TTL expiration',
      );
    }
    if (record.numUsesLimit > 0 && record.numUses >= record.numUsesLimit) {
      return unauthorized(
        'Failed to authorize: access token number of uses limit reached',
      );
    }
    record.numUses += 1;
    return record;
  }

  /** Tokens that are neither revoked nor expired. */
  activeTokenIds(identityId?: string): string[] {
    const records = new Set([...this.#tokens.values()]);
    return [...records]
      .filter(
        r =>
          !r.revoked &&
          !this.expired(r) &&
          (!identityId || r.identityId === identityId),
      )
      .map(r => r.id);
  }

  revokeTokensOf(identityId: string): void {
    for (const record of this.#tokens.values())
      if (record.identityId === identityId) record.revoked = true;
  }

  isLockedOut(clientId: string): boolean {
    const lockedUntil = this.#lockouts.get(clientId)?.lockedUntil;
    return lockedUntil !== undefined && this.now() < lockedUntil;
  }

  private recordFailure(clientId: string): void {
    const now = this.now();
    const previous = this.#lockouts.get(clientId);
    const failures =
      previous && now < previous.counterExpiresAt ? previous.failures + 1 : 1;
    const lockedUntil =
      this.lockoutThreshold !== false && failures >= this.lockoutThreshold
        ? now + LOCKOUT.durationMs
        : undefined;
    // Infisical's counter key expires 30 s after the LAST failure.
    this.#lockouts.set(clientId, {
      failures,
      counterExpiresAt: now + LOCKOUT.counterResetMs,
      lockedUntil,
    });
  }

  private issue(identity: Identity): LoginAnswer {
    const { accessTokenTTL, accessTokenMaxTTL, accessTokenNumUsesLimit } =
      identity.settings;
    const accessToken = newTokenString();
    this.#tokens.set(accessToken, {
      id: `token-${++this.#ids}`,
      identityId: identity.identityId,
      createdAt: this.now(),
      ttl: accessTokenTTL,
      maxTTL: accessTokenMaxTTL,
      numUses: 0,
      numUsesLimit: accessTokenNumUsesLimit,
      revoked: false,
    });
    return {
      accessToken,
      expiresIn: accessTokenTTL,
      accessTokenMaxTTL,
      tokenType: 'Bearer',
    };
  }

  private expired(record: TokenRecord): boolean {
    if (record.ttl <= 0) return false;
    return (
      this.now() >=
      (record.lastRenewedAt ?? record.createdAt) + record.ttl * 1000
    );
  }

  private forget(record: TokenRecord): void {
    for (const [token, candidate] of this.#tokens)
      if (candidate === record) this.#tokens.delete(token);
  }
}

function settingsOf(
  token: SimulatorTokenSettings | undefined,
): Required<SimulatorTokenSettings> {
  return {
    accessTokenTTL: token?.accessTokenTTL ?? THIRTY_DAYS,
    accessTokenMaxTTL: token?.accessTokenMaxTTL ?? THIRTY_DAYS,
    accessTokenNumUsesLimit: token?.accessTokenNumUsesLimit ?? 0,
  };
}

function unauthorized(message: string): SimError {
  return { status: 401, error: 'UnauthorizedError', message };
}

/** Request validation answers 422 with zod issues as an ARRAY in `message`. */
function requireFields(
  body: Record<string, unknown>,
  fields: string[],
): SimError | undefined {
  const issues = fields
    .filter(field => typeof body[field] !== 'string' || body[field] === '')
    .map(field => ({
      code: 'invalid_type',
      expected: 'string',
      path: [field],
      message: 'Required',
    }));
  return issues.length
    ? { status: 422, error: 'ValidationFailure', message: issues }
    : undefined;
}

function newTokenString(): string {
  return `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
}

export function isSimError(value: unknown): value is SimError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    'error' in value
  );
}
