import {
  ProviderError,
  type ProviderErrorDetails,
  type ProviderErrorType,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

export const PROVIDER_NAME = 'aws';

/** Where an error happened, for its message and details. */
export type ErrorContext = {
  /** `ClusterSecretStore/name` or `SecretStore/namespace/name`. */
  store: string;
  /** What was being done, e.g. `reading key "db/password"`. */
  action: string;
  key?: string;
  /** The AWS call, e.g. `BatchGetSecretValue`. */
  call?: string;
  /** Credential strings to blank out of any message AWS sends back. */
  sensitive?: readonly string[];
};

const HINTS: Partial<Record<ProviderErrorType, string>> = {
  AUTH_FAILED:
    'Check the access keys the store references (spec.provider.aws.auth.secretRef), or the backend’s own AWS credentials for a store without auth.',
  TOKEN_EXPIRED:
    'The session token expired: refresh the Kubernetes Secret behind auth.secretRef.sessionTokenSecretRef, or use long-lived keys with a role.',
  PERMISSION_DENIED:
    'Grant the identity secretsmanager:GetSecretValue (and secretsmanager:BatchGetSecretValue, secretsmanager:ListSecrets for find and key lists) on these secrets, or sts:AssumeRole on the store’s role.',
  RATE_LIMITED:
    'AWS throttled this client after the SDK’s retries; the read is retried next cycle.',
  UNAVAILABLE:
    'AWS Secrets Manager is unreachable or failing; the read is retried next cycle.',
  TIMEOUT:
    'AWS did not answer in time; the read is retried next cycle (see externalSecrets.providers.aws.requestTimeout).',
};

/** AWS error codes (the SDK's `error.name`) and what each means to an operator. */
const BY_CODE: Record<string, ProviderErrorType> = {
  ResourceNotFoundException: 'KEY_NOT_FOUND',
  AccessDeniedException: 'PERMISSION_DENIED',
  AccessDenied: 'PERMISSION_DENIED',
  UnrecognizedClientException: 'AUTH_FAILED',
  InvalidClientTokenId: 'AUTH_FAILED',
  InvalidSignatureException: 'AUTH_FAILED',
  SignatureDoesNotMatch: 'AUTH_FAILED',
  IncompleteSignature: 'AUTH_FAILED',
  CredentialsProviderError: 'AUTH_FAILED',
  ExpiredTokenException: 'TOKEN_EXPIRED',
  ExpiredToken: 'TOKEN_EXPIRED',
  ThrottlingException: 'RATE_LIMITED',
  Throttling: 'RATE_LIMITED',
  TooManyRequestsException: 'RATE_LIMITED',
  RequestLimitExceeded: 'RATE_LIMITED',
  LimitExceededException: 'RATE_LIMITED',
  InvalidParameterException: 'INVALID_REQUEST',
  InvalidRequestException: 'INVALID_REQUEST',
  ValidationException: 'INVALID_REQUEST',
  DecryptionFailure: 'PERMISSION_DENIED',
  InternalServiceError: 'UNAVAILABLE',
  InternalFailure: 'UNAVAILABLE',
  ServiceUnavailable: 'UNAVAILABLE',
  TimeoutError: 'TIMEOUT',
  AbortError: 'TIMEOUT',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
]);

type SdkError = Error & {
  code?: string;

  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
};

/** Blanks credential strings out of a text AWS or the SDK produced. */
export function redact(text: string, sensitive: readonly string[] = []) {
  return sensitive
    .filter(s => s.length >= 4)
    .reduce((out, s) => out.split(s).join('[redacted]'), text);
}

/** Builds a ProviderError whose message names the store, the action, the cause and the hint. */
export function providerError(
  errorType: ProviderErrorType,
  cause: string,
  context: ErrorContext,
  details: Partial<ProviderErrorDetails> = {},
): ProviderError {
  const hint = details.hint ?? HINTS[errorType];
  const message = `AWS Secrets Manager store ${context.store}: ${
    context.action
  } failed: ${redact(cause, context.sensitive)}${hint ? `. ${hint}` : ''}`;
  return new ProviderError(errorType, message, {
    provider: PROVIDER_NAME,
    store: context.store,
    key: context.key,
    call: context.call,
    ...details,
    hint,
  });
}

/** The error type of an AWS error code, UNKNOWN when it is not one we know. */
export function errorTypeOfCode(code: string): ProviderErrorType {
  return BY_CODE[code] ?? 'UNKNOWN';
}

/**
 * Maps an AWS SDK failure to a typed ProviderError with the HTTP status and
 * AWS request id. A ResourceNotFoundException becomes KEY_NOT_FOUND with
 * `folderExists` only when the caller says the answer was about the exact
 * secret name it asked for (`provesAbsence`): AWS has no folders, so that
 * answer is the positive evidence that lets deletionPolicy Delete/Merge
 * prune. Values never reach this function.
 */
export function toProviderError(
  error: unknown,
  context: ErrorContext,
  provesAbsence = false,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as SdkError;
  const code = e?.name && e.name !== 'Error' ? e.name : e?.code ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  let errorType = errorTypeOfCode(code);
  if (errorType === 'UNKNOWN') {
    if (e?.code && NETWORK_CODES.has(e.code)) errorType = 'UNAVAILABLE';
    else if (status !== undefined && status >= 500) errorType = 'UNAVAILABLE';
    else if (status === 429) errorType = 'RATE_LIMITED';
    // moto (and some AWS edges) answer a denied JSON call with an XML 403.
    else if (status === 403) errorType = 'PERMISSION_DENIED';
  }
  const requestId = e?.$metadata?.requestId;
  const cause = [
    code,
    status !== undefined ? `HTTP ${status}` : undefined,
    requestId ? `request id ${requestId}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const text = e?.message ? `${cause}: ${e.message}` : cause;
  return providerError(errorType, text, context, {
    ...(status !== undefined ? { httpStatus: status } : {}),
    ...(requestId ? { requestId } : {}),
    ...(errorType === 'KEY_NOT_FOUND' ? { folderExists: provesAbsence } : {}),
  });
}
