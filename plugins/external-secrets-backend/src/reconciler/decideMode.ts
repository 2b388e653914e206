/** Which stores an ExternalSecret uses, and whether reconcile mode may act on it. */
import {
  ParsedExternalSecret,
  SecretStoreRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { planReads } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { CycleContext } from './CycleContext';
import { resolveStore, ResolvedStore, StoreCatalog } from './StoreResolver';
import { WorkItem } from './WorkItem';

type Resolution =
  | { ok: true; resolved: ResolvedStore }
  | { ok: false; message: string };

export type Resolutions = Map<string, Resolution>;

export function storeCatalog(item: WorkItem, ctx: CycleContext): StoreCatalog {
  return {
    cluster: item.inventory.config.name,
    clusterStores: item.inventory.stores,
    configStores: ctx.configStores,
    namespaceLabels: namespace =>
      item.inventory.namespaces.get(namespace)?.labels,
  };
}

export function refKey(ref: SecretStoreRef) {
  return `${ref.kind}/${ref.name}`;
}

export function resolveStores(
  parsed: ParsedExternalSecret,
  item: WorkItem,
  catalog: StoreCatalog,
  ctx: CycleContext,
): Resolutions {
  const resolutions: Resolutions = new Map();
  for (const request of planReads(parsed)) {
    const key = refKey(request.storeRef);
    if (!resolutions.has(key)) {
      resolutions.set(
        key,
        resolveStore(request.storeRef, item.namespace, catalog, ctx.providers),
      );
    }
  }
  return resolutions;
}

/**
 * Reconcile mode acts only on what is positively ours: everything on a cluster
 * declared ESO-free; elsewhere an ExternalSecret CR only when every store it
 * names resolved to a cluster store whose `spec.controller` is our class. A
 * store that is missing, refused (spec.conditions), of a provider we lack, or
 * declared only in app-config (ESO cannot see it) leaves the CR to the ESO
 * running there: observed, its Secret and status never written. A declared
 * manifest has no CR for ESO to reconcile, so there is nothing to fight over.
 */
export function decideMode(
  item: WorkItem,
  stores: Resolutions,
  ctx: CycleContext,
): { observe?: boolean; reason?: string; refuse?: string } {
  const cluster = item.inventory.config;
  if (cluster.mode === 'observe') {
    if (item.origin === 'manifest') {
      return {
        refuse: `cluster ${cluster.name} is in observe mode: declared manifests are only applied to clusters in reconcile mode`,
      };
    }
    return { observe: true };
  }
  if (cluster.esoFree || item.origin === 'manifest') return {};
  const ourClass = cluster.controllerClass ?? ctx.controllerClass;
  const notOurs =
    stores.size === 0
      ? ['it names no store']
      : [...stores].flatMap(([key, resolution]) => {
          const why = whyNotOurs(key, resolution, ourClass);
          return why ? [why] : [];
        });
  if (notOurs.length === 0) return {};
  return {
    observe: true,
    reason: `left to the ESO controller of cluster ${cluster.name} (not esoFree): ${notOurs[0]}`,
  };
}

function whyNotOurs(
  key: string,
  resolution: Resolution,
  ourClass: string,
): string | undefined {
  if (!resolution.ok) {
    return `${key} is not resolved here (${resolution.message})`;
  }
  if (resolution.resolved.origin === 'config') {
    return `${key} is declared in app-config, which that ESO cannot see`;
  }
  const theirClass = resolution.resolved.store.spec.controller ?? '';
  return theirClass === ourClass
    ? undefined
    : `${key} has spec.controller "${theirClass}", not "${ourClass}"`;
}
