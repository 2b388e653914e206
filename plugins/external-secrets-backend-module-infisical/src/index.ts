/**
 * The Infisical provider module for the External Secrets backend: ESO's
 * `spec.provider.infisical` (Universal and Kubernetes auth) on a small typed
 * HTTP client with token caching, per-cycle scope reads and ETag polling.
 *
 * @packageDocumentation
 */

export { externalSecretsModuleInfisical as default } from './module';
export {
  InfisicalProvider,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type InfisicalProviderOptions,
} from './provider/InfisicalProvider';
export { validateInfisicalStoreSpec } from './provider/validateInfisicalStoreSpec';
export {
  resolveSecretAddress,
  type SecretAddress,
} from './provider/resolveSecretAddress';
export {
  normalizeHostApi,
  DEFAULT_HOST_API,
} from './provider/normalizeHostApi';
export {
  PROVIDER_API_CALLS_METRIC,
  type ApiCallCount,
  type ApiCallStatus,
} from './metrics/ProviderApiMetrics';
export type { InfisicalApiCall } from './client/apiCalls';
export type { RetryPolicy } from './client/retryPolicy';
export type { LoginBackoffOptions } from './auth/LoginBackoff';
export type { Clock, Sleep } from './client/timing';
export { DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH } from './auth/kubernetesAuthIdentity';
