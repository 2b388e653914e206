import { StatusStore, StoreStatusRecord } from '../database/StatusStore';
import { ResolvedStore } from './StoreResolver';

/**
 * ESO's flood gate (pkg/controllers/secretstore/client_manager.go,
 * Manager.Get → assertStoreIsUsable, on by default with --enable-flood-gate):
 * an ExternalSecret reads nothing through a store whose Ready condition is not
 * True, and a store never validated has no Ready condition. The store
 * controller (pkg/controllers/secretstore/common.go, validateStore) sets Ready
 * True for ValidationResultReady and ValidationResultUnknown (a
 * ClusterSecretStore whose credential refs resolve per namespace, see
 * validateStores' validationUnknown), False for an error.
 *
 * The cycle validates new and not-Ready stores before its reads (phase
 * `beforeReads`), so the gate looks at this cycle's result for them and at
 * the last one for Ready stores.
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
  // The core prefixes "store <Kind>/<name> is not ready: ".
  if (!last) {
    return 'it has not been validated yet (its validation did not complete this cycle; see the backend log); nothing is read through it until a validation succeeds, tried again next cycle';
  }
  if (last.ready) return undefined;
  const cause = last.message || last.reason || 'no cause recorded';
  return `its last validation failed (${cause}); nothing is read through it until a validation succeeds: fix the store's spec.provider or its credentials; it is validated again before the reads of the next cycle, then less often while it keeps failing (30 s, 1, 2, 4 minutes... up to its spec.refreshInterval, default 5 minutes), and at once when its spec changes; see GET /stores`;
}

function key(cluster: string, kind: string, namespace: string, name: string) {
  return `${cluster}/${kind}/${namespace}/${name}`;
}
