import type {
  ParsedExternalSecret,
  SecretStoreRef,
  StoreSourceRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { ReadRequest } from './types';

/**
 * The key of a store in `ReconcileInput.storeStatus`: `Kind/name`
 * (a SecretStore lives in the ExternalSecret's namespace).
 *
 * @public
 */
export function storeRefKey(ref: SecretStoreRef): string {
  return `${ref.kind}/${ref.name}`;
}

/** The store an entry reads from: its own `sourceRef.storeRef`, else the spec's. */
export function effectiveStoreRef(
  parsed: ParsedExternalSecret,
  sourceRef: StoreSourceRef | undefined,
): SecretStoreRef | undefined {
  return sourceRef?.storeRef ?? parsed.externalSecret.spec.secretStoreRef;
}

/**
 * The provider reads an ExternalSecret needs: one per valid `data` entry and
 * per valid `dataFrom` entry, with ids made of MANIFEST indexes (`data[2]`
 * stays `data[2]` when `data[1]` was invalid). Entries that cannot be read
 * (generator sources, no store) get no request; `reconcileExternalSecret`
 * reports them.
 *
 * @public
 */
export function planReads(parsed: ParsedExternalSecret): ReadRequest[] {
  const { spec } = parsed.externalSecret;
  const requests: ReadRequest[] = [];
  spec.data.forEach((entry, i) => {
    const storeRef = effectiveStoreRef(parsed, entry.sourceRef);
    if (!storeRef || entry.sourceRef?.generatorRef) return;
    const { key, version } = entry.remoteRef;
    requests.push({
      id: `data[${parsed.dataIndexes[i] ?? i}]`,
      storeRef,
      operation: { kind: 'get', key, ...(version ? { version } : {}) },
    });
  });
  spec.dataFrom.forEach((entry, i) => {
    const storeRef = effectiveStoreRef(parsed, entry.sourceRef);
    if (!storeRef || entry.sourceRef?.generatorRef) return;
    const id = `dataFrom[${parsed.dataFromIndexes[i] ?? i}]`;
    if (entry.extract) {
      const { key, version } = entry.extract;
      requests.push({
        id,
        storeRef,
        operation: { kind: 'get', key, ...(version ? { version } : {}) },
      });
    } else if (entry.find) {
      requests.push({
        id,
        storeRef,
        operation: { kind: 'find', find: entry.find },
      });
    }
  });
  return requests;
}
