import {
  ProviderError,
  type ProviderErrorDetails,
  type ProviderErrorType,
} from '../provider/ProviderError';
import type { CurrentSecret, ReadOutcome } from '../reconcile/types';
import { SecretValue } from '../values/SecretValue';

/** A successful `get`. */
export function readOk(value: string, version?: string): ReadOutcome {
  return {
    ok: true,
    secret: {
      value: SecretValue.fromString(value),
      ...(version ? { version } : {}),
    },
  };
}

/** A successful `find`. */
export function readFound(secrets: Record<string, string>): ReadOutcome {
  return {
    ok: true,
    secrets: new Map(
      Object.entries(secrets).map(([k, v]) => [
        k,
        { value: SecretValue.fromString(v) },
      ]),
    ),
  };
}

/** A failed read. */
export function readFailed(
  errorType: ProviderErrorType,
  message: string,
  details: Partial<ProviderErrorDetails> = {},
): ReadOutcome {
  return {
    ok: false,
    error: new ProviderError(errorType, message, {
      provider: 'infisical',
      ...details,
    }),
  };
}

/** The provider proved the key is gone (404 with the folder present). */
export function readGone(key: string): ReadOutcome {
  return readFailed('KEY_NOT_FOUND', `secret "${key}" not found`, {
    key,
    folderExists: true,
    httpStatus: 404,
  });
}

/** A Secret as it exists in the cluster. */
export function currentSecret(
  data: Record<string, string>,
  metadata: Partial<CurrentSecret['metadata']> = {},
  extra: Partial<Omit<CurrentSecret, 'metadata' | 'data'>> = {},
): CurrentSecret {
  return {
    metadata: { name: 'my-secret', namespace: 'my-namespace', ...metadata },
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, SecretValue.fromString(v)]),
    ),
    ...extra,
  };
}

/** The text of each key of a Secret's data (tests only: values never leave tests). */
export function texts(
  data: Record<string, SecretValue> | undefined,
): Record<string, string> | undefined {
  return (
    data &&
    Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.text()]))
  );
}
