import type {
  EntityEventsResponse,
  EntityStatusResponse,
  ExternalSecretStatusDto,
  OverviewResponse,
  StoreKeysResponse,
  StoresResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** An ISO time `minutes` from now (negative: in the past). */
export function minutesFromNow(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

/**
 * A value-shaped string placed in fields that are NOT references (messages,
 * versions). Whatever is built "from references only" must never contain it.
 */
export const CANARY = 'canary-7f3a-not-a-reference';

export function syncedExternalSecret(): ExternalSecretStatusDto {
  return {
    cluster: 'dev-cluster',
    namespace: 'orders',
    name: 'orders-db',
    origin: 'cluster',
    mode: 'reconcile',
    store: { kind: 'ClusterSecretStore', name: 'infisical' },
    targetSecret: 'orders-db-credentials',
    refreshInterval: '1h',
    creationPolicy: 'Owner',
    deletionPolicy: 'Retain',
    state: 'Synced',
    reason: 'SecretSynced',
    message: `Secret was synced (${CANARY})`,
    lastAttemptAt: minutesFromNow(-5),
    lastSyncAt: minutesFromNow(-5),
    nextDueAt: minutesFromNow(55),
    keys: [
      {
        source: 'data[0]',
        secretKey: 'DB_PASSWORD',
        remoteKey: '/orders/db',
        property: 'password',
        state: 'synced',
        remoteVersion: CANARY,
      },
      {
        source: 'data[1]',
        secretKey: 'DB_USER',
        remoteKey: '/orders/db',
        property: 'username',
        state: 'synced',
      },
    ],
  };
}

export function failingExternalSecret(): ExternalSecretStatusDto {
  return {
    cluster: 'dev-cluster',
    namespace: 'orders',
    name: 'orders-api-keys',
    origin: 'cluster',
    mode: 'reconcile',
    store: { kind: 'ClusterSecretStore', name: 'infisical' },
    targetSecret: 'orders-api-keys',
    refreshInterval: '15m',
    state: 'Error',
    reason: 'SecretSyncedError',
    message: 'key PAYMENT_TOKEN: remote key /orders/payment-token not found',
    lastAttemptAt: minutesFromNow(-2),
    lastSyncAt: minutesFromNow(-120),
    nextDueAt: minutesFromNow(1),
    keys: [
      {
        source: 'data[0]',
        secretKey: 'PAYMENT_TOKEN',
        remoteKey: '/orders/payment-token',
        state: 'error',
        reason: 'RemoteKeyNotFound',
        message:
          'Infisical returned 404 for /orders/payment-token in environment dev (request id 4c1d)',
        errorType: 'NOT_FOUND',
      },
      {
        source: 'data[1]',
        secretKey: 'ANALYTICS_KEY',
        remoteKey: 'ANALYTICS_KEY',
        state: 'synced',
      },
      {
        source: 'data[2]',
        secretKey: 'WEBHOOK_SECRET',
        remoteKey: 'webhook',
        store: { kind: 'SecretStore', name: 'vault-local' },
        state: 'unsupported',
        message:
          'SecretStore vault-local uses provider vault, which is not installed',
      },
    ],
  };
}

export function statusResponse(
  ...externalSecrets: ExternalSecretStatusDto[]
): EntityStatusResponse {
  return { entityRef: 'component:default/orders-service', externalSecrets };
}

export function eventsResponse(): EntityEventsResponse {
  return {
    entityRef: 'component:default/orders-service',
    events: [
      {
        cluster: 'dev-cluster',
        namespace: 'orders',
        name: 'orders-db',
        type: 'created',
        message: 'Secret orders-db-credentials created',
        changedKeys: ['DB_PASSWORD', 'DB_USER'],
        createdAt: minutesFromNow(-180),
      },
      {
        cluster: 'dev-cluster',
        namespace: 'orders',
        name: 'orders-api-keys',
        type: 'error',
        message: 'remote key /orders/payment-token not found',
        createdAt: minutesFromNow(-2),
      },
      {
        cluster: 'dev-cluster',
        namespace: 'orders',
        name: 'orders-db',
        type: 'updated',
        message: 'Secret orders-db-credentials updated',
        changedKeys: ['DB_PASSWORD'],
        createdAt: minutesFromNow(-30),
      },
    ],
  };
}

export function storesResponse(): StoresResponse {
  return {
    stores: [
      {
        cluster: 'dev-cluster',
        kind: 'ClusterSecretStore',
        namespace: '',
        name: 'infisical',
        provider: 'infisical',
        origin: 'cluster',
        ready: true,
        reason: 'Valid',
        lastValidatedAt: minutesFromNow(-10),
      },
      {
        cluster: '',
        kind: 'SecretStore',
        namespace: 'payments',
        name: 'infisical-payments',
        provider: 'infisical',
        origin: 'config',
        ready: false,
        reason: 'InvalidProviderConfig',
        message: 'universal auth login failed: 401 invalid client secret',
        lastValidatedAt: minutesFromNow(-1),
      },
    ],
  };
}

export function overviewResponse(): OverviewResponse {
  return {
    counts: { Synced: 12, Error: 3, Pending: 1, NotFound: 2, Unsupported: 0 },
    failing: [
      {
        entityRef: 'component:payments/checkout-service',
        externalSecret: {
          ...failingExternalSecret(),
          namespace: 'payments',
          name: 'checkout-keys',
        },
      },
    ],
  };
}

/** Key NAMES of the ready `ClusterSecretStore infisical` of {@link storesResponse}. */
export function storeKeysResponse(
  overrides: Partial<StoreKeysResponse> = {},
): StoreKeysResponse {
  return {
    store: {
      cluster: 'dev-cluster',
      kind: 'ClusterSecretStore',
      namespace: '-',
      name: 'infisical',
    },
    keys: ['API_TOKEN', 'DB_PASSWORD', 'DB_USER', 'orders/db'],
    truncated: false,
    complete: true,
    ...overrides,
  };
}

/**
 * The demo's checkout-payment-gateway: an ExternalSecret on the AWS Secrets
 * Manager store whose `db-user` entry reads the Infisical store
 * (`data[].sourceRef.storeRef`).
 */
export function twoStoreExternalSecret(): ExternalSecretStatusDto {
  return {
    ...syncedExternalSecret(),
    namespace: 'payments',
    name: 'checkout-payment-gateway',
    store: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
    targetSecret: 'checkout-payment-gateway',
    keys: [
      {
        source: 'data[0]',
        secretKey: 'gateway-token',
        remoteKey: 'checkout/payment-gateway',
        property: 'token',
        store: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
        state: 'synced',
      },
      {
        source: 'data[1]',
        secretKey: 'db-user',
        remoteKey: '/payments/DB_USER',
        store: {
          kind: 'ClusterSecretStore',
          name: 'infisical-archon-platform',
        },
        state: 'synced',
      },
    ],
  };
}

/** A ready AWS Secrets Manager store beside {@link storesResponse}'s Infisical ones. */
export function storesWithAws(): StoresResponse {
  const { stores } = storesResponse();
  return {
    stores: [
      ...stores,
      {
        cluster: 'dev-cluster',
        kind: 'ClusterSecretStore',
        namespace: '',
        name: 'aws-secrets-manager',
        provider: 'aws',
        origin: 'cluster',
        ready: true,
        reason: 'Valid',
        message: 'Listed AWS Secrets Manager in eu-west-1: 3 secret(s) visible',
        lastValidatedAt: minutesFromNow(-2),
      },
    ],
  };
}
