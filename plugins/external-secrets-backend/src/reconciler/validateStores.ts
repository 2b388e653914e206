import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import pLimit from 'p-limit';
import { ConfiguredCredentials } from '../config/readExternalSecretsConfig';
import { StatusStore, StoreStatusRecord } from '../database/StatusStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterInventory } from './ClusterInventory';
import { ProviderRegistry } from './ProviderRegistry';
import {
  observedStatus,
  provenByCycleReads,
  validateOne,
  validationUnknown,
} from './storeValidationResults';
import {
  StoreToValidate,
  storeKey,
  storesToValidate,
} from './storeValidationTargets';
import { writeStoreStatusIfChanged } from './storeStatusWriter';
import { StoreRetryBackoff } from './storeRetryBackoff';

/** ESO re-validates stores every 5 minutes unless `spec.refreshInterval` says otherwise. */
const DEFAULT_VALIDATION_INTERVAL_SECONDS = 300;

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
  /**
   * When a not-Ready store is validated again (kept across cycles); without
   * it, at every cycle.
   */
  retries?: StoreRetryBackoff;
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
    const due = isDue(target, previous, {
      phase: options.phase,
      now,
      specChanged,
      retries: options.retries,
    });
    if (!due && !proven) return;
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
    options.retries?.record(storeKey(target.record), record.ready);
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

/**
 * Whether this phase of the cycle validates the store (see ValidationPhase):
 * a Ready store after its refreshInterval, a not-Ready one on its backoff
 * (StoreRetryBackoff) or as soon as its spec changes.
 */
function isDue(
  target: StoreToValidate,
  previous: StoreStatusRecord | undefined,
  options: {
    phase: ValidationPhase;
    now: Date;
    specChanged: boolean;
    retries?: StoreRetryBackoff;
  },
): boolean {
  const { now } = options;
  const last = previous?.lastValidatedAt;
  if (!previous || !last) return true;
  // Validated earlier in this cycle (refreshInterval 0 is due every cycle).
  if (last.getTime() === now.getTime()) return false;
  const interval =
    (target.store?.spec.refreshInterval ??
      DEFAULT_VALIDATION_INTERVAL_SECONDS) * 1000;
  const elapsed = now.getTime() - last.getTime();
  if (!previous.ready) {
    if (options.specChanged) return true;
    const delay =
      options.retries?.delayMs(storeKey(target.record), interval) ?? 0;
    return elapsed >= delay;
  }
  return elapsed >= interval && options.phase === 'afterReads';
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
