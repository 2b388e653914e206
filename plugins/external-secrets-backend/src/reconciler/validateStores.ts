import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import pLimit from 'p-limit';
import { ConfiguredCredentials } from '../config/readExternalSecretsConfig';
import { StatusStore, StoreStatusRecord } from '../database/StatusStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterInventory } from './ClusterInventory';
import { ProviderRegistry } from './ProviderRegistry';
import { createStoreContext, storeScopeOf } from './StoreContextFactory';
import { readsCredentialsPerNamespace, storeClientKey } from './storeClientKey';
import { writeStoreStatusIfChanged } from './storeStatusWriter';

/** ESO re-validates stores every 5 minutes unless `spec.refreshInterval` says otherwise. */
const DEFAULT_VALIDATION_INTERVAL_SECONDS = 300;

type StoreToValidate = {
  record: Pick<
    StoreStatusRecord,
    'cluster' | 'kind' | 'namespace' | 'name' | 'origin'
  >;
  store?: SecretStore;
  cluster?: ClusterClient;
  /** Parse issues of a store that could not be read. */
  invalid?: string;
  /**
   * A store ESO validates (observe-mode cluster, or a store of another
   * controller class where ESO runs): we only report its Ready condition.
   */
  observed?: boolean;
};

/**
 * When a cycle validates a store. ESO's flood gate reads nothing through a
 * store that is not Ready, so `beforeReads` validates the stores the gate
 * would hold back: never validated (no Ready condition yet) or not Ready with
 * a validation due. `afterReads` validates the Ready stores that are due, and
 * records every store the cycle's own successful reads proved (sparing a
 * validation call).
 */
export type ValidationPhase = 'beforeReads' | 'afterReads';

/**
 * Validates the stores of this phase whose validation is due and records
 * Ready with the cause, auditing each flip of Ready. Invalid manifests are
 * recorded as not ready with their parse issues.
 */
export async function validateStores(options: {
  phase: ValidationPhase;
  inventories: ClusterInventory[];
  configStores: SecretStore[];
  providers: ProviderRegistry;
  credentials: ConfiguredCredentials;
  statusStore: StatusStore;
  auditor: AuditorService;
  logger: LoggerService;
  now: Date;
  signal?: AbortSignal;
  /**
   * Stores validated at once (each is a login and a list, a few round trips):
   * one after the other, 20 stores cost 20 × (latency of a list) per cycle.
   */
  concurrency?: number;
  /**
   * Whether the cycle read through the store's client (by storeClientKey):
   * such a store is Ready without a validation call of its own, which keeps a
   * steady cycle at one provider request per scope.
   */
  readSucceeded?: (storeClientKey: string) => boolean;
  /** Our `spec.controller` class, unless a cluster names its own. */
  controllerClass: string;
  /**
   * The `metadata.generation` of each store (by store key) when this replica
   * last validated it, kept across cycles: a not-Ready store whose spec
   * changed since is validated at once (ESO's store controller reconciles on
   * every update), not after its refreshInterval.
   */
  validatedGenerations?: Map<string, number>;
}): Promise<void> {
  const { statusStore, now } = options;
  const known = new Map(
    (await statusStore.listStores()).map(s => [storeKey(s), s]),
  );
  const limit = pLimit(options.concurrency ?? 1);
  const validateDue = async (target: StoreToValidate) => {
    const previous = known.get(storeKey(target.record));
    const observed = Boolean(target.observed && target.store);
    // Reads through the store this cycle validate it whenever they happen,
    // so its "last validation" keeps up with the syncs the events show.
    const proven = observed
      ? undefined
      : provenByCycleReads(target, previous, options);
    const generation = target.store?.metadata.generation;
    const generations = options.validatedGenerations;
    const validatedGeneration = generations?.get(storeKey(target.record));
    const specChanged =
      generation !== undefined &&
      validatedGeneration !== undefined &&
      generation !== validatedGeneration;
    if (!isDue(target, previous, options.phase, now, specChanged) && !proven)
      return;
    const result =
      observed && target.store
        ? observedStatus(target.store)
        : proven ??
          validationUnknown(target, options.providers) ??
          (await validateOne(target, options));
    const record: StoreStatusRecord = {
      ...target.record,
      ...result,
      lastValidatedAt: now,
    };
    await statusStore.saveStore(record);
    if (generation !== undefined)
      generations?.set(storeKey(target.record), generation);
    // Validated before this cycle's reads, its status is written already;
    // the inventory's copy of the store predates that write (a stale
    // resourceVersion would answer 409).
    const statusWritten =
      previous?.lastValidatedAt?.getTime() === now.getTime() &&
      previous.ready === record.ready;
    if (weControl(target) && !statusWritten)
      await writeStoreStatusIfChanged({
        client: target.cluster,
        store: target.store,
        validation: record,
        now,
        logger: options.logger,
      });
    if (previous && previous.ready !== record.ready) {
      const event = await options.auditor.createEvent({
        eventId: 'store-validation',
        severityLevel: record.ready ? 'low' : 'medium',
        meta: {
          store: storeKey(record),
          ready: record.ready,
          reason: record.reason ?? null,
          message: record.message ?? null,
        },
      });
      await event.success();
    }
  };
  await Promise.all(
    storesToValidate(options).map(target => limit(() => validateDue(target))),
  );
}

/** Whether this phase of the cycle validates the store (see ValidationPhase). */
function isDue(
  target: StoreToValidate,
  previous: StoreStatusRecord | undefined,
  phase: ValidationPhase,
  now: Date,
  specChanged: boolean,
): boolean {
  const last = previous?.lastValidatedAt;
  if (!previous || !last) return true;
  // Validated earlier in this cycle (refreshInterval 0 is due every cycle).
  if (last.getTime() === now.getTime()) return false;
  if (!previous.ready && specChanged) return true;
  const interval =
    (target.store?.spec.refreshInterval ??
      DEFAULT_VALIDATION_INTERVAL_SECONDS) * 1000;
  if (now.getTime() - last.getTime() < interval) return false;
  return phase === 'afterReads' || !previous.ready;
}

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
function validationUnknown(
  target: StoreToValidate,
  providers: ProviderRegistry,
):
  | Pick<StoreStatusRecord, 'ready' | 'reason' | 'message' | 'provider'>
  | undefined {
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

/** A cluster store we control: ours to write its status (never ESO's). */
function weControl(
  target: StoreToValidate,
): target is StoreToValidate & { store: SecretStore; cluster: ClusterClient } {
  return (
    target.record.origin === 'cluster' &&
    !target.observed &&
    !!target.store &&
    !!target.cluster
  );
}

/** Ready from this cycle's successful reads, once the spec checks pass. */
function provenByCycleReads(
  target: StoreToValidate,
  previous: StoreStatusRecord | undefined,
  options: {
    inventories: ClusterInventory[];
    providers: ProviderRegistry;
    readSucceeded?: (storeClientKey: string) => boolean;
  },
):
  | Pick<StoreStatusRecord, 'ready' | 'reason' | 'message' | 'provider'>
  | undefined {
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

function storesToValidate(options: {
  inventories: ClusterInventory[];
  configStores: SecretStore[];
  controllerClass: string;
}): StoreToValidate[] {
  const targets: StoreToValidate[] = [];
  // Never an observe-mode cluster: there no Secret data is read at all.
  const contextCluster = options.inventories.find(
    i => !i.error && i.config.mode === 'reconcile',
  )?.client;
  for (const store of options.configStores) {
    targets.push({
      record: recordOf('', 'config', store),
      store,
      cluster: contextCluster,
    });
  }
  for (const inventory of options.inventories) {
    for (const store of inventory.stores) {
      targets.push({
        record: recordOf(inventory.config.name, 'cluster', store),
        store,
        cluster: inventory.client,
        observed: leftToEso(inventory, store, options.controllerClass),
      });
    }
    for (const invalid of inventory.invalidStores) {
      targets.push({
        record: {
          cluster: inventory.config.name,
          kind:
            invalid.kind === 'ClusterSecretStore'
              ? 'ClusterSecretStore'
              : 'SecretStore',
          namespace:
            invalid.kind === 'ClusterSecretStore' ? '' : invalid.namespace,
          name: invalid.name,
          origin: 'cluster',
        },
        invalid: invalid.issues.map(i => i.message).join('; '),
      });
    }
  }
  return targets;
}

/**
 * Validating a store logs in with its credentials: never for a store ESO
 * owns, as on a cluster it shares with us only stores of our class are ours.
 */
function leftToEso(
  inventory: ClusterInventory,
  store: SecretStore,
  controllerClass: string,
): boolean {
  const cluster = inventory.config;
  if (cluster.mode === 'observe') return true;
  if (cluster.esoFree) return false;
  const ourClass = cluster.controllerClass ?? controllerClass;
  return (store.spec.controller ?? '') !== ourClass;
}

async function validateOne(
  target: StoreToValidate,
  options: {
    providers: ProviderRegistry;
    credentials: ConfiguredCredentials;
    logger: LoggerService;
    signal?: AbortSignal;
  },
): Promise<
  Pick<StoreStatusRecord, 'ready' | 'reason' | 'message' | 'provider'>
> {
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
function observedStatus(
  store: SecretStore,
): Pick<StoreStatusRecord, 'ready' | 'reason' | 'message' | 'provider'> {
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
):
  | Pick<StoreStatusRecord, 'ready' | 'reason' | 'message' | 'provider'>
  | undefined {
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

function recordOf(
  cluster: string,
  origin: 'config' | 'cluster',
  store: SecretStore,
): StoreToValidate['record'] {
  return {
    cluster,
    kind: store.kind,
    namespace:
      store.kind === 'ClusterSecretStore' ? '' : store.metadata.namespace ?? '',
    name: store.metadata.name,
    origin,
  };
}

function storeKey(s: {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}) {
  return `${s.cluster}/${s.kind}/${s.namespace}/${s.name}`;
}
