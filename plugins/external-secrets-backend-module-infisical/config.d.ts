import { HumanDuration } from '@backstage/types';

export interface Config {
  externalSecrets?: {
    providers?: {
      /** Settings of the Infisical provider module. Stores themselves are ESO SecretStores. */
      infisical?: {
        /**
         * Timeout of one HTTP request to Infisical, read with Backstage's
         * readDurationFromConfig: "10s", "500ms", "PT10S" or { seconds: 10 }
         * (a bare number is refused). Default "10s".
         */
        requestTimeout?: string | HumanDuration;
        /**
         * Retries of a request that failed with 429, 5xx, a timeout or a network
         * error (capped exponential backoff with jitter; Retry-After honoured up
         * to 60 s). Default 3.
         */
        maxRetries?: number;
        /**
         * Directories, besides /var/run/secrets/kubernetes.io/serviceaccount,
         * from which Kubernetes auth (`kubernetesAuthCredentials`) may read a
         * service-account token named by `serviceAccountTokenPath` (absolute
         * paths; symbolic links must stay inside). Only admin stores
         * (app-config stores and ClusterSecretStores) may use Kubernetes auth.
         * Secret visibility: it points at credential material, like a CA file.
         * @visibility secret
         */
        serviceAccountTokenDirs?: string[];
      };
    };
  };
}
