import { ParsedExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  planReads,
  ProviderError,
  ReadOutcome,
  StoreReadiness,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { CycleContext } from './CycleContext';
import { refKey, Resolutions } from './decideMode';
import { executeReads } from './executeReads';
import { storeNotReady } from './storeGate';
import { WorkItem } from './WorkItem';

export type StoreReads = {
  reads: Map<string, ReadOutcome>;
  storeStatus: Map<string, StoreReadiness>;
  /** The store gate held some reads back (retry when the store is Ready, no backoff). */
  heldBack: boolean;
};

/**
 * Reads the ExternalSecret's keys through the cycle's provider clients,
 * behind ESO's flood gate: nothing is read through a store that is not Ready.
 */
export async function readThroughStores(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  stores: Resolutions,
  ctx: CycleContext,
): Promise<StoreReads> {
  const gated = gateOnLastValidation(stores, item, ctx);
  const storeStatus = new Map<string, StoreReadiness>();
  for (const [key, resolution] of gated) {
    storeStatus.set(
      key,
      resolution.ok
        ? { ready: true, message: '' }
        : { ready: false, message: resolution.message },
    );
  }
  const planned = planReads(parsed);
  const reads = await executeReads({
    requests: planned,
    limit: ctx.readLimit,
    clientFor: async request => {
      const resolution = gated.get(refKey(request.storeRef));
      if (!resolution?.ok) {
        return new ProviderError(
          'INVALID_CONFIG',
          resolution?.message ?? 'store not resolved',
          { provider: 'unknown', store: refKey(request.storeRef) },
        );
      }
      return ctx.clients.get(
        resolution.resolved,
        item.inventory.client,
        item.namespace,
      );
    },
  });
  for (const request of planned) {
    const resolution = gated.get(refKey(request.storeRef));
    if (resolution?.ok && reads.get(request.id)?.ok) {
      ctx.clients.noteSuccessfulRead(resolution.resolved.key);
    }
  }
  const heldBack = [...stores].some(([key, r]) => r.ok && !gated.get(key)?.ok);
  return { reads, storeStatus, heldBack };
}

function gateOnLastValidation(
  stores: Resolutions,
  item: WorkItem,
  ctx: CycleContext,
): Resolutions {
  const gated: Resolutions = new Map();
  for (const [key, resolution] of stores) {
    const notReady =
      resolution.ok &&
      storeNotReady(
        ctx.lastStoreValidation?.(
          item.inventory.config.name,
          resolution.resolved,
        ),
      );
    gated.set(key, notReady ? { ok: false, message: notReady } : resolution);
  }
  return gated;
}
