import { ANNOTATION_DATA_HASH } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  CurrentSecret,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { SyncOutcome } from './CycleContext';

/**
 * The data-hash our write moved the Secret to, when it did: a create, or an
 * update whose data (not only labels or annotations) changed. Undefined when
 * nothing was written (refused, failed, unchanged).
 */
export function changedData(
  result: Pick<
    ReconcileResult,
    'action' | 'dataHash' | 'desired' | 'changedKeys'
  >,
  current: CurrentSecret | undefined,
  refused: string | undefined,
  writeError: Error | undefined,
): SyncOutcome['dataChanged'] {
  if (refused || writeError || !result.desired || !result.dataHash) {
    return undefined;
  }
  if (result.action !== 'create' && result.action !== 'update')
    return undefined;
  const previousHash = current?.metadata.annotations?.[ANNOTATION_DATA_HASH];
  if (current && previousHash === result.dataHash) return undefined;
  return {
    hash: result.dataHash,
    ...(current && { previousHash: previousHash ?? '' }),
    changedKeys: result.changedKeys,
    secretAnnotations: result.desired.metadata.annotations ?? {},
  };
}
