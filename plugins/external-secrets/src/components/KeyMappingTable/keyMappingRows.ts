import type {
  ExternalSecretStatusDto,
  KeyMappingState,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  describeRemoteRef,
  describeSecretKey,
} from '../../lib/formatKeyMapping';

/** One row of the key mapping table: a key of one of the entity's ExternalSecrets. */
export type KeyMappingRow = {
  id: string;
  state: KeyMappingState;
  secretKey: string;
  remoteRef: string;
  externalSecret: string;
  cluster: string;
  namespace: string;
  targetSecret: string;
  reason: string;
};

/** Worst first, so problems lead the table. */
const SEVERITY: Record<KeyMappingState, number> = {
  error: 0,
  unsupported: 1,
  pending: 2,
  removed: 3,
  synced: 4,
};

/** Orders two states worst first. */
export function compareStates(a: KeyMappingState, b: KeyMappingState): number {
  return (SEVERITY[a] ?? 0) - (SEVERITY[b] ?? 0);
}

/** Flattens the entity's ExternalSecrets into key rows, worst state first. */
export function keyMappingRows(
  externalSecrets: ExternalSecretStatusDto[],
): KeyMappingRow[] {
  const rows = externalSecrets.flatMap(es =>
    es.keys.map(key => ({
      id: `${es.cluster}/${es.namespace}/${es.name}/${key.source}/${
        key.secretKey ?? ''
      }`,
      state: key.state,
      secretKey: describeSecretKey(key),
      remoteRef: describeRemoteRef(key, es.store),
      externalSecret: `${es.namespace}/${es.name}`,
      cluster: es.cluster,
      namespace: es.namespace,
      targetSecret: es.targetSecret,
      // A synced key's reason only repeats its state.
      reason:
        key.state === 'synced'
          ? ''
          : [key.message, key.reason].filter(Boolean).join(' — '),
    })),
  );
  return rows.sort((a, b) => compareStates(a.state, b.state));
}
