import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsCredentialIdentity } from '@smithy/types';
import type {
  SecretKeySelector,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { StoreContext } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  createSecretsManagerClient,
  type AwsTransport,
} from '../client/createSdkClients';
import { parseAwsStoreSpec, type AwsProviderSpec } from './awsStoreSpec';
import { CredentialCache, sensitiveOf } from './CredentialCache';
import { describeStore } from './describeStore';
import { providerError, type ErrorContext } from './toProviderError';

/** What the provider shares between stores and cycles. */
export type ProviderState = {
  transport: AwsTransport;
  credentials: CredentialCache;
  /**
   * Identities AWS refused BatchGetSecretValue to (by hash of identity): their
   * keys are read one GetSecretValue at a time, ESO's way, until this
   * provider restarts. Many IAM policies written for ESO grant only GetSecretValue.
   */
  batchDenied: Set<string>;
  batchWindowMs: number;
};

/**
 * One store as one cycle sees it: its parsed spec, the identity it reads
 * with and an SDK client. Opening it reads the credentials (Kubernetes
 * Secrets through the StoreContext) and assumes the role chain (cached).
 */
export class StoreSession {
  private constructor(
    readonly store: string,
    readonly spec: AwsProviderSpec,
    readonly client: SecretsManagerClient,
    readonly identityKey: string,
    readonly sensitive: readonly string[],
    readonly state: ProviderState,
    readonly logger: LoggerService,
    readonly signal?: AbortSignal,
  ) {}

  static async open(
    secretStore: SecretStore,
    context: StoreContext,
    state: ProviderState,
  ): Promise<StoreSession> {
    const store = describeStore(secretStore);
    const { spec, issues } = parseAwsStoreSpec(secretStore);
    if (!spec) {
      const blocking = issues.filter(i => i.severity !== 'warning');
      throw providerError(
        blocking.every(i => i.severity === 'unsupported')
          ? 'UNSUPPORTED'
          : 'INVALID_CONFIG',
        blocking.map(i => i.message).join('; '),
        { store, action: 'checking the store spec' },
      );
    }
    const base = await readBaseCredentials(spec, context, store);
    const credentials = await state.credentials.resolve({
      spec,
      base,
      store,
      addressGuard: context.addressGuard,
    });
    const client = createSecretsManagerClient(state.transport, {
      region: spec.region,
      credentials,
      addressGuard: context.addressGuard,
    });
    return new StoreSession(
      store,
      spec,
      client,
      identityKeyOf(spec, credentials),
      [...sensitiveOf(base), ...sensitiveOf(credentials)],
      state,
      context.logger.child({ provider: 'aws', store }),
      context.signal,
    );
  }

  /** The secret name AWS knows for a `remoteRef.key` (ESO: `prefix + key`). */
  secretName(key: string): string {
    return `${this.spec.prefix}${key}`;
  }

  errorContext(action: string, call: string, key?: string): ErrorContext {
    return {
      store: this.store,
      action,
      call,
      key,
      sensitive: this.sensitive,
    };
  }

  close(): void {
    this.client.destroy();
  }
}

/**
 * The store's access keys from `auth.secretRef`, or undefined for the
 * backend's own AWS identity (the SDK's default chain). Only admin stores
 * (app-config, ClusterSecretStores) may use the backend's identity: a
 * namespaced SecretStore gets nothing its namespace does not already hold.
 */
async function readBaseCredentials(
  spec: AwsProviderSpec,
  context: StoreContext,
  store: string,
): Promise<AwsCredentialIdentity | undefined> {
  const where = { store, action: 'reading the store credentials' };
  const ref = spec.auth.secretRef;
  if (!ref) {
    if (context.storeScope === 'admin') return undefined;
    throw providerError(
      'INVALID_CONFIG',
      'a namespaced SecretStore must set spec.provider.aws.auth.secretRef: it may not use the Backstage backend’s own AWS identity',
      where,
    );
  }
  const read = async (field: string, selector: SecretKeySelector) => {
    const resolved = {
      ...selector,
      namespace: selector.namespace ?? context.namespace,
    };
    const source = `${field} (Secret ${resolved.namespace ?? ''}/${
      resolved.name
    } key ${resolved.key})`;
    let text: string;
    try {
      text = (await context.readSecretKey(resolved)).text().trim();
    } catch (error) {
      throw providerError(
        'INVALID_CONFIG',
        `cannot read ${source}: ${(error as Error).message}`,
        where,
      );
    }
    if (!text)
      throw providerError('INVALID_CONFIG', `${source} is empty`, where);
    return text;
  };
  const base = 'spec.provider.aws.auth.secretRef';
  const [accessKeyId, secretAccessKey, sessionToken] = await Promise.all([
    read(`${base}.accessKeyIDSecretRef`, ref.accessKeyIDSecretRef),
    read(`${base}.secretAccessKeySecretRef`, ref.secretAccessKeySecretRef),
    ref.sessionTokenSecretRef
      ? read(`${base}.sessionTokenSecretRef`, ref.sessionTokenSecretRef)
      : Promise.resolve(undefined),
  ]);
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
  };
}

function identityKeyOf(
  spec: AwsProviderSpec,
  credentials?: AwsCredentialIdentity,
): string {
  return `${spec.region}\u0000${credentials?.accessKeyId ?? '(default)'}`;
}
