/**
 * ESO's documented Infisical call pattern, computed (not measured): for every
 * ExternalSecret reconcile, `NewClient` logs in
 * (`MachineIdentityLoginViaUniversalAuth`), every `data` entry is one
 * single-secret read (`GetSecret` → `Secrets().Retrieve`, `GetSecretByKeyV3`),
 * and `Close` revokes the token (`RevokeAccessToken`). Source:
 * external-secrets/external-secrets providers/v1/infisical/provider.go
 * (NewClient, Close) and client.go (GetSecret). Store validation (the store
 * controller, every 5 minutes by default) is NewClient + one list + Close.
 */
export type EsoCalls = {
  logins: number;
  singleReads: number;
  revocations: number;
  total: number;
};

export const ESO_STORE_VALIDATION_INTERVAL_MINUTES = 5;

/** Calls for one refresh of `externalSecrets` ExternalSecrets with `keysPerEntity` data entries each. */
export function esoRefreshCalls(
  externalSecrets: number,
  keysPerEntity: number,
): EsoCalls {
  const logins = externalSecrets;
  const singleReads = externalSecrets * keysPerEntity;
  const revocations = externalSecrets;
  return {
    logins,
    singleReads,
    revocations,
    total: logins + singleReads + revocations,
  };
}

/** Store validation calls per minute: login + list + revoke per store every 5 minutes. */
export function esoValidationCallsPerMinute(stores: number) {
  return {
    secret: stores / ESO_STORE_VALIDATION_INTERVAL_MINUTES,
    write: (2 * stores) / ESO_STORE_VALIDATION_INTERVAL_MINUTES,
  };
}
