/** Which stores an ExternalSecret uses, and whether reconcile mode may act on it. */
import {
  ParsedExternalSecret,
  SecretStoreRef,
} from '@internal/backstage-plugin-external-secrets-common';
import { planReads } from '@internal/backstage-plugin-external-secrets-node';
import { CycleContext } from './CycleContext';
import { resolveStore, ResolvedStore, StoreCatalog } from './StoreResolver';
import { WorkItem } from './WorkItem';

export type Resolutions = Map<
  string,
  { ok: true; resolved: ResolvedStore } | { ok: false; message: string }
>;

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
 * Reconcile mode acts only on what is ours: a cluster declared ESO-free, stores
 * declared in app-config, or cluster stores whose `spec.controller` is our class.
 * Anything else belongs to the ESO running there and is only observed.
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
  if (cluster.esoFree) return {};
  const ourClass = cluster.controllerClass ?? ctx.controllerClass;
  for (const [key, resolution] of stores) {
    if (!resolution.ok || resolution.resolved.origin === 'config') continue;
    const theirClass = resolution.resolved.store.spec.controller ?? '';
    if (theirClass !== ourClass && item.origin === 'cluster') {
      return {
        observe: true,
        reason: `left to the ESO controller of cluster ${cluster.name}: ${key} has spec.controller "${theirClass}", not "${ourClass}"`,
      };
    }
  }
  return {};
}
