import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  SecretStore,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type {
  ProviderCapabilities,
  SecretsClient,
  SecretsProvider,
  StoreContext,
  StoreValidationResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { Meter } from '@opentelemetry/api';
import { ApiCallMetrics, type AwsApiCallCount } from '../client/ApiCallMetrics';
import { AwsSecretsClient } from './AwsSecretsClient';
import { parseAwsStoreSpec } from './awsStoreSpec';
import { CredentialCache } from './CredentialCache';
import { StoreSession, type ProviderState } from './StoreSession';
import { PROVIDER_NAME } from './toProviderError';

/** Per-request timeout when `requestTimeout` is not configured. @public */
export const DEFAULT_AWS_REQUEST_TIMEOUT_MS = 10_000;
/** SDK attempts per call (first try plus retries) when `maxRetries` is not configured. @public */
export const DEFAULT_AWS_MAX_ATTEMPTS = 3;
/** How long reads of one store wait to join one BatchGetSecretValue when `batchWindow` is not configured. @public */
export const DEFAULT_AWS_BATCH_WINDOW_MS = 10;

/**
 * Options of the AWS provider. Endpoints are admin settings: a store can
 * choose its region, never the host it connects to.
 *
 * @public
 */
export type AwsSecretsManagerProviderOptions = {
  logger?: LoggerService;
  /** Secrets Manager endpoint (an emulator, a VPC endpoint); default: the region's. */
  secretsManagerEndpoint?: string;
  /** STS endpoint for role assumption; default: the region's. */
  stsEndpoint?: string;
  /** Timeout of one HTTP attempt. Default 10 s. */
  requestTimeoutMs?: number;
  /** SDK attempts per call, 429/5xx/throttling retried with the SDK's backoff. Default 3. */
  maxAttempts?: number;
  /** How long reads wait for others to share one BatchGetSecretValue. Default 10 ms. */
  batchWindowMs?: number;
  /** Meter for `externalsecret_provider_api_calls_count`. Default: the global meter provider. */
  meter?: Meter;
};

/**
 * The `aws` secrets provider, `service: SecretsManager`: ESO's
 * `spec.provider.aws` on the official AWS SDK. Current values are batched
 * with BatchGetSecretValue per store and cycle, `find` lists with ListSecrets
 * filters, assumed-role credentials are cached until near expiry, and
 * failures are typed ProviderErrors naming store, key, AWS error code, HTTP
 * status and request id, never a value.
 *
 * @public
 */
export class AwsSecretsManagerProvider implements SecretsProvider {
  /** The provider key in a store's `spec.provider` (`aws`). */
  readonly name = PROVIDER_NAME;
  /** What ExternalSecrets on this provider may use: versions, and find by path, name regexp and tags. */
  readonly capabilities: ProviderCapabilities = {
    readScope: false,
    versions: true,
    find: { path: true, nameRegexp: true, tags: true },
  };

  readonly #state: ProviderState;
  readonly #metrics: ApiCallMetrics;
  readonly #endpointOverride?: string;
  readonly #stsEndpointOverride?: string;

  constructor(options: AwsSecretsManagerProviderOptions = {}) {
    this.#metrics = new ApiCallMetrics(options.meter);
    this.#endpointOverride = options.secretsManagerEndpoint;
    this.#stsEndpointOverride = options.stsEndpoint;
    const transport = {
      secretsManagerEndpoint: options.secretsManagerEndpoint,
      stsEndpoint: options.stsEndpoint,
      requestTimeoutMs:
        options.requestTimeoutMs ?? DEFAULT_AWS_REQUEST_TIMEOUT_MS,
      maxAttempts: options.maxAttempts ?? DEFAULT_AWS_MAX_ATTEMPTS,
      metrics: this.#metrics,
    };
    this.#state = {
      transport,
      credentials: new CredentialCache(transport),
      batchDenied: new Set(),
      batchWindowMs: options.batchWindowMs ?? DEFAULT_AWS_BATCH_WINDOW_MS,
    };
  }

  /** Checks a store's `spec.provider.aws` without calling AWS. */
  validateStoreSpec(store: SecretStore): ValidationIssue[] {
    return parseAwsStoreSpec(store).issues;
  }

  /**
   * Every host the store contacts: Secrets Manager, and STS when it assumes a
   * role; the region's endpoints unless the admin overrode them.
   */
  endpoints(store: SecretStore): string[] {
    const spec = store.spec.provider.aws as
      | { region?: unknown; role?: unknown; additionalRoles?: unknown }
      | undefined;
    const region = typeof spec?.region === 'string' ? spec.region : undefined;
    const regional = (service: string) =>
      region ? `https://${service}.${region}.amazonaws.com` : undefined;
    const assumesRole =
      Boolean(spec?.role) ||
      (Array.isArray(spec?.additionalRoles) &&
        spec!.additionalRoles.length > 0);
    return [
      this.#endpointOverride ?? regional('secretsmanager'),
      assumesRole ? this.#stsEndpointOverride ?? regional('sts') : undefined,
    ].filter((url): url is string => Boolean(url));
  }

  /** Authenticates (and assumes the role chain) and lists one page of names. */
  async validateStore(
    store: SecretStore,
    context: StoreContext,
  ): Promise<StoreValidationResult> {
    let session: StoreSession | undefined;
    try {
      session = await StoreSession.open(store, context, this.#state);
      const { keys: names } = await new AwsSecretsClient(
        session,
      ).listKeyNames();
      const { region, prefix } = session.spec;
      return {
        ready: true,
        reason: 'Valid',
        message: `Listed AWS Secrets Manager in ${region}${
          prefix ? ` under prefix "${prefix}"` : ''
        }: ${names.length} secret(s) visible`,
      };
    } catch (error) {
      return {
        ready: false,
        reason: 'InvalidProviderConfig',
        message: (error as Error).message,
      };
    } finally {
      session?.close();
    }
  }

  /** A client for one store and the namespace its credentials resolve in. */
  async newClient(
    store: SecretStore,
    context: StoreContext,
  ): Promise<SecretsClient> {
    return new AwsSecretsClient(
      await StoreSession.open(store, context, this.#state),
    );
  }

  /** Forgets the cached credentials and role sessions. */
  async shutdown(): Promise<void> {
    this.#state.credentials.clear();
  }

  /** In-process counts of HTTP attempts by AWS operation and outcome (tests, `yarn bench`). */
  apiCallCounts(): AwsApiCallCount[] {
    return this.#metrics.counts();
  }
}
