import { HumanDuration } from '@backstage/types';

export interface Config {
  externalSecrets?: {
    providers?: {
      /** Settings of the AWS Secrets Manager provider module. Stores themselves are ESO SecretStores. */
      aws?: {
        /**
         * Endpoint overrides, for a VPC endpoint or an emulator (moto). Admin
         * settings: a store chooses its region, never the host. Default: the
         * region's public endpoints.
         */
        endpoints?: {
          secretsManager?: string;
          sts?: string;
        };
        /**
         * Timeout of one HTTP attempt, read with Backstage's
         * readDurationFromConfig ("10s", { seconds: 10 }). Default "10s".
         */
        requestTimeout?: string | HumanDuration;
        /** Retries of throttled, 5xx and network failures (the SDK's standard backoff). Default 2. */
        maxRetries?: number;
        /**
         * How long a read waits for others of the same store to share one
         * BatchGetSecretValue call (up to 20 names). Default "10ms".
         */
        batchWindow?: string | HumanDuration;
      };
    };
  };
}
