/**
 * Names of the Infisical API calls, as the `call` label of
 * `externalsecret_provider_api_calls_count`. Where ESO's Infisical provider
 * has a name for the call, it is reused so dashboards work for both.
 *
 * @public
 */
export type InfisicalApiCall =
  | 'MachineIdentityLoginViaUniversalAuth'
  | 'MachineIdentityLoginViaKubernetesAuth'
  | 'RenewAccessToken'
  | 'RevokeAccessToken'
  | 'GetWorkspaceBySlug'
  | 'GetSecretsV4'
  | 'GetSecretsV3'
  | 'GetSecretByKeyV4'
  | 'GetSecretByKeyV3';

/** Calls that log in: their 401/403 answers are credential problems, not token problems. */
export const LOGIN_CALLS: ReadonlySet<InfisicalApiCall> = new Set([
  'MachineIdentityLoginViaUniversalAuth',
  'MachineIdentityLoginViaKubernetesAuth',
]);
