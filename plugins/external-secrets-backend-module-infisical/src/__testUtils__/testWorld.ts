import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  InfisicalProviderSpec,
  SecretKeySelector,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  isProviderError,
  ProviderError,
  SecretValue,
  type StoreContext,
  type StoreScope,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  InfisicalProvider,
  type InfisicalProviderOptions,
} from '../provider/InfisicalProvider';
import { InfisicalSimulator } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { SIMULATOR_BASE_URL } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import type { SimulatorOptions } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';

/** Strings that must never appear in an error, a log line or test output. */
export const CANARY = {
  value: 'canary-VALUE-7d1e55a0-never-print',
  otherValue: 'canary-OTHER-VALUE-42b9-never-print',
  clientId: 'canary-client-id-3c0f9e',
  clientSecret: 'canary-client-secret-a81d77',
  jwt: 'canary.jwt-eyJhbGciOiJSUzI1NiJ9.service-account',
};

export const PROJECT = 'archon-platform-pzxu';
export const ENV = 'prod';
export const CREDENTIALS_NS = 'external-secrets';

/** A clock the provider and the simulator share. */
export class FakeClock {
  #now = Date.UTC(2026, 10, 23, 12, 0, 0);
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

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

export type StoreOptions = {
  name?: string;
  kind?: SecretStore['kind'];
  namespace?: string;
  hostAPI?: string;
  scope?: Partial<InfisicalProviderSpec['secretsScope']>;
  auth?: InfisicalProviderSpec['auth'];
  caBundle?: string;
  caProvider?: InfisicalProviderSpec['caProvider'];
};

/** The seed's ClusterSecretStore shape: universal auth, archon-platform-pzxu / prod / "/". */
export function infisicalStore(options: StoreOptions = {}): SecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: options.kind ?? 'ClusterSecretStore',
    metadata: {
      name: options.name ?? 'infisical-archon-platform',
      namespace: options.namespace,
    },
    spec: {
      provider: {
        infisical: {
          hostAPI: options.hostAPI ?? SIMULATOR_BASE_URL,
          caBundle: options.caBundle,
          caProvider: options.caProvider,
          auth: options.auth ?? {
            universalAuthCredentials: {
              clientId: {
                name: 'infisical-universal-auth',
                key: 'clientId',
                namespace: CREDENTIALS_NS,
              },
              clientSecret: {
                name: 'infisical-universal-auth',
                key: 'clientSecret',
                namespace: CREDENTIALS_NS,
              },
            },
          },
          secretsScope: {
            projectSlug: PROJECT,
            environmentSlug: ENV,
            secretsPath: '/',
            recursive: false,
            expandSecretReferences: true,
            ...options.scope,
          },
        },
      },
    },
  };
}

/** A StoreContext over in-memory Secrets and ConfigMaps keyed `namespace/name/key`. */
export function storeContext(options: {
  logger: LoggerService;
  secrets?: Record<string, string>;
  configMaps?: Record<string, string>;
  namespace?: string;
  /** Default `admin`: the seed's store is a ClusterSecretStore. */
  storeScope?: StoreScope;
}): StoreContext {
  const find = (
    source: Record<string, string> | undefined,
    kind: string,
    ref: SecretKeySelector,
  ) => {
    const id = `${ref.namespace ?? ''}/${ref.name}/${ref.key}`;
    const value = source?.[id];
    if (value === undefined)
      throw new Error(
        `${kind} ${ref.namespace ?? ''}/${ref.name} has no key ${ref.key}`,
      );
    return value;
  };
  return {
    namespace: options.namespace,
    storeScope: options.storeScope ?? 'admin',
    logger: options.logger,
    readSecretKey: async ref =>
      SecretValue.fromString(find(options.secrets, 'Secret', ref)),
    readConfigMapKey: async ref => find(options.configMaps, 'ConfigMap', ref),
  };
}

/** Credentials Secret for `infisicalStore()`'s universal auth. */
export function universalAuthSecrets(
  clientId = CANARY.clientId,
  clientSecret = CANARY.clientSecret,
  name = 'infisical-universal-auth',
) {
  return {
    [`${CREDENTIALS_NS}/${name}/clientId`]: clientId,
    [`${CREDENTIALS_NS}/${name}/clientSecret`]: clientSecret,
  };
}

/**
 * A simulator with the seed's project (one secret MY_SECRET_NAME holding
 * CANARY.value), a universal-auth identity granted on it, a provider whose
 * clock, sleep and randomness are fakes, and a capturing logger.
 */
export type TestWorldOptions = {
  provider?: InfisicalProviderOptions;
  simulator?: SimulatorOptions;
};

export function createTestWorld(options: TestWorldOptions = {}) {
  const clock = new FakeClock();
  const simulator = new InfisicalSimulator({
    now: () => clock.now(),
    ...options.simulator,
  });
  simulator.addProject({ slug: PROJECT, environments: ['dev', 'prod'] });
  simulator.setSecret({
    project: PROJECT,
    environment: ENV,
    key: 'MY_SECRET_NAME',
    value: CANARY.value,
  });
  const identityId = simulator.addUniversalAuthIdentity({
    identityId: 'eso-archon-platform',
    clientId: CANARY.clientId,
    clientSecret: CANARY.clientSecret,
  });
  simulator.grant(identityId, PROJECT);
  const sleeps: number[] = [];
  const { logger, lines } = createCapturingLogger();
  const provider = new InfisicalProvider({
    clock,
    sleep: async ms => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    logger,
    ...options.provider,
  });
  const context = storeContext({ logger, secrets: universalAuthSecrets() });
  return {
    clock,
    simulator,
    provider,
    sleeps,
    logger,
    lines,
    context,
    identityId,
  };
}

/** Runs `fn` and returns the ProviderError it throws (fails the test otherwise). */
export async function providerErrorOf(
  fn: () => Promise<unknown>,
): Promise<ProviderError> {
  try {
    await fn();
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError, but the call succeeded');
}

/** Every canary that occurs in `texts` (expected: none). */
export function leakedCanaries(texts: string[]): string[] {
  const canaries = Object.values(CANARY);
  return canaries.filter(canary => texts.some(text => text.includes(canary)));
}

/** The searchable text of an error: message and details. */
export function errorText(error: ProviderError): string {
  return `${error.message} ${JSON.stringify(error.details)}`;
}
