import { StatusStore, StoreStatusRecord } from '../database/StatusStore';
import { ResolvedStore } from './StoreResolver';

/**
 * ESO's flood gate (pkg/controllers/secretstore/client_manager.go,
 * assertStoreIsUsable, on by default with --enable-flood-gate): an
 * ExternalSecret reads nothing through a store whose Ready condition is not
 * True. Our cycle validates stores after its reads, so the gate uses the
 * status the previous cycle stored. Unlike ESO, a store never validated yet
 * is read (its first cycle would otherwise read nothing).
 */
export async function lastStoreValidations(
  statusStore: Pick<StatusStore, 'listStores'>,
): Promise<
  (cluster: string, store: ResolvedStore) => StoreStatusRecord | undefined
> {
  const byKey = new Map(
    (await statusStore.listStores()).map(s => [
      key(s.cluster, s.kind, s.namespace, s.name),
      s,
    ]),
  );
  return (cluster, resolved) => {
    const { store } = resolved;
    const namespace =
      store.kind === 'ClusterSecretStore' ? '' : store.metadata.namespace ?? '';
    return byKey.get(
      key(
        resolved.origin === 'config' ? '' : cluster,
        store.kind,
        namespace,
        store.metadata.name,
      ),
    );
  };
}

/** Why reads through this store are held back; undefined when they may go. */
export function storeNotReady(
  last: StoreStatusRecord | undefined,
): string | undefined {
  if (!last || last.ready) return undefined;
  const cause = last.message || last.reason || 'no cause recorded';
  // The core prefixes "store <Kind>/<name> is not ready: ".
  return `its last validation failed (${cause}); nothing is read through it until a validation succeeds, at most one store refresh interval later (see GET /stores)`;
}

function key(cluster: string, kind: string, namespace: string, name: string) {
  return `${cluster}/${kind}/${namespace}/${name}`;
}
