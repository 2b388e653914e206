/**
 * The AWS Secrets Manager provider module for the External Secrets backend:
 * ESO's `spec.provider.aws` (`service: SecretsManager`) on the official AWS
 * SDK, with batched reads, ListSecrets-based find and cached role sessions.
 *
 * @packageDocumentation
 */

export { externalSecretsModuleAws as default } from './module';
export {
  AwsSecretsManagerProvider,
  DEFAULT_AWS_BATCH_WINDOW_MS,
  DEFAULT_AWS_MAX_ATTEMPTS,
  DEFAULT_AWS_REQUEST_TIMEOUT_MS,
  type AwsSecretsManagerProviderOptions,
} from './provider/AwsSecretsManagerProvider';
export {
  parseAwsStoreSpec,
  type AwsProviderSpec,
} from './provider/awsStoreSpec';
export type { AwsApiCallCount } from './client/ApiCallMetrics';
