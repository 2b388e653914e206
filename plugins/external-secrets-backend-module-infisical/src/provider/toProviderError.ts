import {
  ProviderError,
  type ProviderErrorDetails,
  type ProviderErrorType,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { isError } from '@backstage/errors';
import { LOGIN_CALLS } from '../client/apiCalls';
import {
  InfisicalApiError,
  isUnknownProjectAnswer,
  UNEXPECTED_RESPONSE,
} from '../client/InfisicalApiError';
import { InfisicalTransportError } from '../client/InfisicalTransportError';
import type { Redactor } from '../client/Redactor';

/** Where an error happened, for its message and details. */
export type ErrorContext = {
  /** `ClusterSecretStore/name` or `SecretStore/namespace/name`. */
  store: string;
  /** What was being done, e.g. `reading key "DB_PASS"`. */
  action: string;
  key?: string;
  path?: string;
  /** The scope's project slug, named when Infisical says it does not exist. */
  projectSlug?: string;
  redactor: Redactor;
};

export const PROVIDER_NAME = 'infisical';

const SCOPE_CALLS: ReadonlySet<string> = new Set([
  'GetWorkspaceBySlug',
  'GetSecretsV4',
  'GetSecretsV3',
]);

const HINTS: Partial<Record<ProviderErrorType, string>> = {
  AUTH_FAILED:
    'Check the credentials the store references (spec.provider.infisical.auth) and that the machine identity has this auth method enabled.',
  CLIENT_SECRET_EXPIRED:
    'Create a new client secret for the machine identity and update the Kubernetes Secret the store references.',
  USE_LIMIT_REACHED:
    'Raise or remove the use limit of the identity (access token or client secret), or issue a new client secret.',
  TOKEN_EXPIRED:
    'Infisical rejected the access token even after a fresh login; check the identity token TTL settings and the clocks of both sides.',
  PERMISSION_DENIED:
    'Grant the machine identity read access to this project, environment and path in Infisical.',
  RATE_LIMITED:
    'Infisical rate-limited this client; the read is retried next cycle.',
  UNAVAILABLE:
    'Infisical is unreachable or failing; the read is retried next cycle.',
  TIMEOUT:
    'Infisical did not answer in time; the read is retried next cycle (see externalSecrets.providers.infisical.requestTimeout).',
  TLS: 'If Infisical uses a self-signed or private CA, set spec.provider.infisical.caBundle (base64 PEM) or caProvider (a ConfigMap or Secret holding the CA). TLS verification is never turned off.',
};

/** Builds a ProviderError whose message names the store, the action and the hint. */
export function providerError(
  errorType: ProviderErrorType,
  cause: string,
  context: Omit<ErrorContext, 'redactor'>,
  details: Partial<ProviderErrorDetails> = {},
): ProviderError {
  const hint = details.hint ?? HINTS[errorType];
  const message = `Infisical store ${context.store}: ${
    context.action
  } failed: ${cause}${hint ? `. ${hint}` : ''}`;
  return new ProviderError(errorType, message, {
    provider: PROVIDER_NAME,
    store: context.store,
    key: context.key,
    path: context.path,
    ...details,
    hint,
  });
}

/**
 * Maps any failure of an Infisical call to a typed ProviderError. Server
 * messages pass through the redactor; values never reach this function.
 */
export function toProviderError(
  error: unknown,
  context: ErrorContext,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof InfisicalTransportError) {
    return fromTransport(error, context);
  }
  if (error instanceof InfisicalApiError) return fromApi(error, context);
  const text = isError(error) ? error.message : String(error);
  return providerError('UNKNOWN', context.redactor.apply(text), context);
}

function fromTransport(
  error: InfisicalTransportError,
  context: ErrorContext,
): ProviderError {
  const typeByFailure = {
    timeout: 'TIMEOUT',
    tls: 'TLS',
    network: 'UNAVAILABLE',
    aborted: 'UNKNOWN',
    refused: 'INVALID_CONFIG',
  } as const;
  const target = new URL(error.url).origin;
  return providerError(
    typeByFailure[error.failure],
    `${error.call} to ${target}: ${context.redactor.apply(error.message)}`,
    context,
    {
      call: error.call,
      ...(error.failure === 'refused' && {
        hint: 'Point hostAPI at a public address, use a ClusterSecretStore managed by an admin, or ask an admin to allow the host in externalSecrets.security.namespacedStorePrivateAddresses.',
      }),
    },
  );
}

function fromApi(
  error: InfisicalApiError,
  context: ErrorContext,
): ProviderError {
  const errorType = apiErrorType(error);
  if (isUnknownProjectAnswer(error)) return unknownProject(error, context);
  const serverText = context.redactor.apply(error.serverMessage);
  const permission =
    errorType === 'PERMISSION_DENIED'
      ? describePermissionRules(error.details)
      : '';
  const cause = `${error.call} answered HTTP ${error.status}${
    error.requestId ? ` (request id ${error.requestId})` : ''
  }: ${serverText}${permission}`;
  return providerError(errorType, cause, context, {
    call: error.call,
    httpStatus: error.status,
    requestId: error.requestId,
    retryAfterSeconds:
      error.retryAfterMs === undefined
        ? undefined
        : Math.ceil(error.retryAfterMs / 1000),
    hint: apiErrorHint(error),
  });
}

/**
 * Infisical's 500 "Failed to find project by slug": a configuration error that
 * no retry heals. The provider stops asking until the store's next validation.
 */
function unknownProject(
  error: InfisicalApiError,
  context: ErrorContext,
): ProviderError {
  const slug = context.projectSlug ? ` "${context.projectSlug}"` : '';
  const detail = context.redactor.apply(
    [error.errorName, error.serverMessage].filter(Boolean).join(': '),
  );
  return providerError(
    'INVALID_CONFIG',
    `Infisical has no project with slug${slug} (${error.call} answered HTTP ${
      error.status
    }${error.requestId ? `, request id ${error.requestId}` : ''}: ${detail})`,
    context,
    {
      call: error.call,
      httpStatus: error.status,
      requestId: error.requestId,
      hint: "Fix spec.provider.infisical.secretsScope.projectSlug (the project's slug, not its name or id). The slug is not asked for again until the store is validated again.",
    },
  );
}

/** A hint more precise than the error type's, when the answer tells one. */
function apiErrorHint(error: InfisicalApiError): string | undefined {
  if (/temporarily locked/i.test(error.serverMessage)) {
    return 'Infisical locked this identity out after repeated failed logins (by default 3 within 30 s lock it for 5 minutes); fix the credentials and wait for the lock to expire.';
  }
  if (error.status >= 300 && error.status < 400) {
    return 'Set spec.provider.infisical.hostAPI to the URL Infisical answers on without a redirect (often https:// instead of http://, or the final host); redirects are never followed.';
  }
  return undefined;
}

/** Status AND Infisical's `error` name decide; the message only refines auth failures. */
export function apiErrorType(error: InfisicalApiError): ProviderErrorType {
  const text = error.serverMessage;
  if (error.errorName === UNEXPECTED_RESPONSE) return 'INVALID_CONFIG';
  if (error.status === 429) return 'RATE_LIMITED';
  if (isUnknownProjectAnswer(error)) return 'INVALID_CONFIG';
  if (error.status >= 500) return 'UNAVAILABLE';
  if (/(number of uses|uses?|usage) limit/i.test(text))
    return 'USE_LIMIT_REACHED';
  // A login's 404 is "No identity with specified client ID was found" (recorded).
  if (
    LOGIN_CALLS.has(error.call) &&
    [400, 401, 403, 404].includes(error.status)
  ) {
    return /expired client secret/i.test(text)
      ? 'CLIENT_SECRET_EXPIRED'
      : 'AUTH_FAILED';
  }
  if (error.status === 401) return 'TOKEN_EXPIRED';
  if (error.status === 403) {
    return error.errorName === 'TokenError'
      ? 'TOKEN_EXPIRED'
      : 'PERMISSION_DENIED';
  }
  // The project lookup and the list calls answer 404 only for a wrong project or environment.
  if (error.status === 404 && SCOPE_CALLS.has(error.call))
    return 'INVALID_CONFIG';
  if ([400, 404, 422].includes(error.status)) return 'INVALID_REQUEST';
  return 'UNKNOWN';
}

/**
 * A 403 PermissionDenied lists the identity's rules for the denied action and
 * subject in `details` (CASL rules). Rendering them tells the operator which
 * permission is missing and what the identity has instead.
 */
function describePermissionRules(details: unknown): string {
  if (!Array.isArray(details)) return '';
  if (details.length === 0) {
    return ' (the identity has no rule granting this action)';
  }
  const rules = details.map(rule => {
    const { action, subject, inverted, conditions } = (rule ?? {}) as Record<
      string,
      unknown
    >;
    const verb = inverted ? 'deny' : 'allow';
    const where = conditions ? ` where ${JSON.stringify(conditions)}` : '';
    return `${verb} ${String(action)} on ${String(subject)}${where}`;
  });
  return ` (the identity's rules for it: ${rules.join('; ')})`;
}
