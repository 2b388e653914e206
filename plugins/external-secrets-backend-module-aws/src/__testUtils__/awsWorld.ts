import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  SecretKeySelector,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  SecretValue,
  type StoreContext,
  type StoreScope,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { REGION, TEST_KEYS } from './moto';

/** A logger that keeps every line (all levels, children included) for leak scans. */
export function createCapturingLogger(): {
  logger: LoggerService;
  lines: string[];
} {
  const lines: string[] = [];
  const make = (meta: object): LoggerService => {
    const log = (level: string) => (message: string, extra?: unknown) => {
      lines.push(
        `${level} ${message} ${JSON.stringify({
          ...meta,
          ...(extra as object),
        })}`,
      );
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: childMeta => make({ ...meta, ...childMeta }),
    };
  };
  return { logger: make({}), lines };
}

export const CREDENTIALS_NS = 'external-secrets';

/** `auth.secretRef` pointing at Secret `aws-credentials` in `namespace`. */
export function secretRefAuth(namespace: string | null = CREDENTIALS_NS) {
  const ref = (key: string): SecretKeySelector => ({
    name: 'aws-credentials',
    key,
    ...(namespace ? { namespace } : {}),
  });
  return {
    secretRef: {
      accessKeyIDSecretRef: ref('access-key-id'),
      secretAccessKeySecretRef: ref('secret-access-key'),
    },
  };
}

/** The Secret behind `secretRefAuth(namespace)`, keyed `namespace/name/key`. */
export function credentialSecrets(
  keys: { accessKeyId: string; secretAccessKey: string } = TEST_KEYS,
  namespace = CREDENTIALS_NS,
): Record<string, string> {
  return {
    [`${namespace}/aws-credentials/access-key-id`]: keys.accessKeyId,
    [`${namespace}/aws-credentials/secret-access-key`]: keys.secretAccessKey,
  };
}

/** An `aws` store; by default a ClusterSecretStore with access keys from a Secret. */
export function awsStore(
  options: {
    name?: string;
    kind?: SecretStore['kind'];
    namespace?: string;
    aws?: Record<string, unknown>;
  } = {},
): SecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: options.kind ?? 'ClusterSecretStore',
    metadata: {
      name: options.name ?? 'aws-secrets-manager',
      ...(options.namespace ? { namespace: options.namespace } : {}),
    },
    spec: {
      provider: {
        aws: {
          service: 'SecretsManager',
          region: REGION,
          auth: secretRefAuth(),
          ...options.aws,
        },
      },
    },
  };
}

/** A StoreContext over in-memory Secrets keyed `namespace/name/key`. */
export function storeContext(options: {
  logger: LoggerService;
  secrets?: Record<string, string>;
  namespace?: string;
  storeScope?: StoreScope;
}): StoreContext {
  return {
    namespace: options.namespace,
    storeScope: options.storeScope ?? 'admin',
    logger: options.logger,
    readSecretKey: async ref => {
      const id = `${ref.namespace ?? ''}/${ref.name}/${ref.key}`;
      const value = options.secrets?.[id];
      if (value === undefined)
        throw new Error(
          `Secret ${ref.namespace ?? ''}/${ref.name} has no key ${ref.key}`,
        );
      return SecretValue.fromString(value);
    },
    readConfigMapKey: async () => {
      throw new Error('no ConfigMaps in this test');
    },
  };
}
