import type { InfisicalApiCall } from './apiCalls';
import { unexpectedResponse } from './InfisicalApiError';
import type {
  LoginResult,
  WireImport,
  WireSecret,
  WireSecretList,
} from './wireTypes';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeError(call: InfisicalApiCall, what: string) {
  return unexpectedResponse(call, 200, `the answer to ${call} ${what}`);
}

/** `{accessToken, expiresIn, accessTokenMaxTTL}` from login and renew. */
export function parseLogin(call: InfisicalApiCall, body: unknown): LoginResult {
  if (
    !isObject(body) ||
    typeof body.accessToken !== 'string' ||
    !body.accessToken
  ) {
    throw shapeError(call, 'has no accessToken');
  }
  return {
    accessToken: body.accessToken,
    expiresInSeconds: nonNegative(body.expiresIn),
    maxTtlSeconds: nonNegative(body.accessTokenMaxTTL),
  };
}

/** The project id sits at the top level on current releases; older ones wrap it. */
export function parseProjectId(call: InfisicalApiCall, body: unknown): string {
  const candidates = isObject(body) ? [body, body.project, body.workspace] : [];
  for (const candidate of candidates) {
    if (
      isObject(candidate) &&
      typeof candidate.id === 'string' &&
      candidate.id
    ) {
      return candidate.id;
    }
  }
  throw shapeError(call, 'has no project id');
}

export function parseSecretList(
  call: InfisicalApiCall,
  body: unknown,
): WireSecretList {
  if (!isObject(body) || !Array.isArray(body.secrets)) {
    throw shapeError(call, 'has no secrets array');
  }
  const imports = Array.isArray(body.imports) ? body.imports : [];
  return {
    secrets: body.secrets.map(secret => parseSecret(call, secret)),
    imports: imports.map(block => parseImport(call, block)),
  };
}

export function parseSingleSecret(
  call: InfisicalApiCall,
  body: unknown,
): WireSecret {
  if (!isObject(body)) throw shapeError(call, 'has no secret');
  return parseSecret(call, body.secret);
}

function parseImport(call: InfisicalApiCall, block: unknown): WireImport {
  if (!isObject(block) || !Array.isArray(block.secrets)) {
    throw shapeError(call, 'has an import without secrets');
  }
  return {
    environment: typeof block.environment === 'string' ? block.environment : '',
    secretPath: typeof block.secretPath === 'string' ? block.secretPath : '/',
    secrets: block.secrets.map(secret => parseSecret(call, secret)),
  };
}

function parseSecret(call: InfisicalApiCall, secret: unknown): WireSecret {
  if (!isObject(secret) || typeof secret.secretKey !== 'string') {
    throw shapeError(call, 'has a secret without secretKey');
  }
  return {
    secretKey: secret.secretKey,
    secretValue:
      typeof secret.secretValue === 'string' ? secret.secretValue : '',
    version: typeof secret.version === 'number' ? secret.version : undefined,
    secretPath:
      typeof secret.secretPath === 'string' ? secret.secretPath : undefined,
    tagSlugs: parseTagSlugs(secret.tags),
    secretValueHidden: secret.secretValueHidden === true,
  };
}

function parseTagSlugs(tags: unknown): string[] | undefined {
  if (!Array.isArray(tags)) return undefined;
  return tags.flatMap(tag =>
    isObject(tag) && typeof tag.slug === 'string' ? [tag.slug] : [],
  );
}

function nonNegative(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : 0;
}
