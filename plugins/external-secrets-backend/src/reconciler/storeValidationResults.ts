import { LoggerService } from '@backstage/backend-plugin-api';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ConfiguredCredentials } from '../config/readExternalSecretsConfig';
import { StoreStatusRecord } from '../database/StatusStore';
import { ClusterInventory } from './ClusterInventory';
import { ProviderRegistry } from './ProviderRegistry';
import { createStoreContext, storeScopeOf } from './StoreContextFactory';
import { readsCredentialsPerNamespace, storeClientKey } from './storeClientKey';
import { StoreToValidate } from './storeValidationTargets';

/** A store's Ready condition as one validation decides it. */
export type StoreValidationResult = Pick<
  StoreStatusRecord,
  'ready' | 'reason' | 'message' | 'provider'
>;

/**
 * A ClusterSecretStore whose credential refs name no namespace cannot be
 * validated alone: they resolve in each ExternalSecret's namespace. ESO's
 * referent-auth providers answer ValidationResultUnknown there
 * (providers/v1/vault/validate.go and providers/v1/kubernetes/validate.go,
 * Validate), which validateStore (pkg/controllers/secretstore/common.go)
 * turns into Ready True: the flood gate lets it through and each
 * namespace's credentials fail, if they do, on that namespace's own
 * ExternalSecrets. Its spec is still checked (no I/O).
 */
export function validationUnknown(
  target: StoreToValidate,
  providers: ProviderRegistry,
): StoreValidationResult | undefined {
  const { store } = target;
  if (!store || !readsCredentialsPerNamespace(store)) return undefined;
  return (
    checkSpec(store, providers) ?? {
      ready: true,
      provider: providerNameOf(store),
      reason: 'ValidationUnknown',
      message:
        "could not determine validation status: its credential refs name no namespace, so they resolve in each ExternalSecret's namespace; each ExternalSecret reports its own namespace's credential errors",
    }
  );
}

/** Ready from this cycle's successful reads, once the spec checks pass. */
export function provenByCycleReads(
  target: StoreToValidate,
  previous: StoreStatusRecord | undefined,
  options: {
    inventories: ClusterInventory[];
    providers: ProviderRegistry;
    readSucceeded?: (storeClientKey: string) => boolean;
  },
): StoreValidationResult | undefined {
  const { store } = target;
  if (!store || !options.readSucceeded) return undefined;
  const clusters =
    target.record.origin === 'config'
      ? options.inventories.map(i => i.config.name)
      : [target.record.cluster];
  const proven = clusters.some(cluster =>
    options.readSucceeded!(storeClientKey({ ...target.record, cluster })),
  );
  if (!proven) return undefined;
  const checked = checkSpec(store, options.providers);
  if (checked) return checked;
  return {
    ready: true,
    provider: providerNameOf(store),
    reason: 'Valid',
    message:
      previous?.ready && previous.message
        ? previous.message
        : 'Secrets were read through this store in the last reconcile cycle',
  };
}

/** Validates one store through its provider (a login and a list). */
export async function validateOne(
  target: StoreToValidate,
  options: {
    providers: ProviderRegistry;
    credentials: ConfiguredCredentials;
    logger: LoggerService;
    signal?: AbortSignal;
  },
): Promise<StoreValidationResult> {
  if (!target.store) {
    return {
      ready: false,
      reason: 'InvalidStoreConfiguration',
      message: target.invalid,
    };
  }
  const checked = checkSpec(target.store, options.providers);
  if (checked) return checked;
  const provider = options.providers.get(providerNameOf(target.store)!)!;
  try {
    const context = createStoreContext({
      credentials: options.credentials,
      cluster: target.cluster,
      namespace: target.store.metadata.namespace,
      storeScope: storeScopeOf(target.record),
      logger: options.logger,
      signal: options.signal,
    });
    const result = await provider.validateStore(target.store, context);
    return { provider: provider.name, ...result };
  } catch (e) {
    return {
      ready: false,
      provider: provider.name,
      reason: 'ValidationFailed',
      message: (e as Error).message,
    };
  }
}

/**
 * Observe mode reads no Secret data, so no provider logs in with the store's
 * credentials: the store is reported as the ESO running there reports it.
 */
export function observedStatus(store: SecretStore): StoreValidationResult {
  const ready = store.status?.conditions?.find(c => c.type === 'Ready');
  const provider = providerNameOf(store);
  if (!ready) {
    return {
      ready: false,
      provider,
      reason: 'Observed',
      message:
        'validated by ESO, not here (that would read its credentials), and ESO has not reported a Ready condition yet',
    };
  }
  return {
    ready: ready.status === 'True',
    provider,
    reason: ready.reason,
    message: `as ESO reports it: ${
      ready.message || ready.reason || ready.status
    }`,
  };
}

function providerNameOf(store: SecretStore): string | undefined {
  return Object.keys(store.spec.provider).find(
    name => store.spec.provider[name] !== undefined,
  );
}

/** The no-I/O checks: provider installed, spec valid. Undefined when both pass. */
function checkSpec(
  store: SecretStore,
  providers: ProviderRegistry,
): StoreValidationResult | undefined {
  const providerName = providerNameOf(store);
  const provider = providerName ? providers.get(providerName) : undefined;
  if (!provider) {
    return {
      ready: false,
      provider: providerName,
      reason: 'InvalidProviderConfig',
      message: `provider "${providerName}" is not installed (installed: ${providers
        .names()
        .join(', ')})`,
    };
  }
  const issues = provider
    .validateStoreSpec(store)
    .filter(i => i.severity !== 'warning');
  if (issues.length === 0) return undefined;
  return {
    ready: false,
    provider: provider.name,
    reason: 'InvalidProviderConfig',
    message: issues.map(i => i.message).join('; '),
  };
}
