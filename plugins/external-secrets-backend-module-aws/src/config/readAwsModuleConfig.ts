import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { AwsSecretsManagerProviderOptions } from '../provider/AwsSecretsManagerProvider';

const KEY = 'externalSecrets.providers.aws';

/** `externalSecrets.providers.aws` as provider options. */
export function readAwsModuleConfig(
  config: Config,
): AwsSecretsManagerProviderOptions {
  const aws = config.getOptionalConfig(KEY);
  if (!aws) return {};
  const duration = (key: string) =>
    aws.has(key)
      ? durationToMilliseconds(readDurationFromConfig(aws, { key }))
      : undefined;
  const maxRetries = aws.getOptionalNumber('maxRetries');
  if (
    maxRetries !== undefined &&
    (!Number.isInteger(maxRetries) || maxRetries < 0)
  )
    throw new Error(`${KEY}.maxRetries must be a whole number >= 0`);
  return {
    secretsManagerEndpoint: aws.getOptionalString('endpoints.secretsManager'),
    stsEndpoint: aws.getOptionalString('endpoints.sts'),
    requestTimeoutMs: duration('requestTimeout'),
    maxAttempts: maxRetries === undefined ? undefined : maxRetries + 1,
    batchWindowMs: duration('batchWindow'),
  };
}
