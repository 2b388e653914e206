import {
  ANNOTATION_DATA_HASH,
  ExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  computeDataHash,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ManagedKeys } from '../kubernetes/externalSecretFieldManager';
import { TargetSecret } from './SecretWriter';

type CreationPolicy = ExternalSecret['spec']['target']['creationPolicy'];

/**
 * ESO's mutationFunc (externalsecret_controller.go) first deletes the data
 * keys its ExternalSecret's field manager owns (getManagedDataKeys), then
 * applies the template. Owner and Orphan Secrets are rebuilt from what the
 * ExternalSecret produces anyway (the core does that); Merge and CreateOrMerge
 * keep the Secret's other keys, so a key this ExternalSecret wrote and no
 * longer produces is taken out here. Only after a complete answer: while an
 * entry failed, what it would produce is unknown, and nothing is removed.
 * A key that stays also stops holding a Merge key against a newer writer.
 */
export function withoutStaleDataKeys(
  result: ReconcileResult,
  current: TargetSecret | undefined,
  managed: ManagedKeys | undefined,
  policy: CreationPolicy,
): ReconcileResult {
  const { desired } = result;
  if (policy !== 'Merge' && policy !== 'CreateOrMerge') return result;
  if (!desired || !current || current.immutable || !managed?.data.length) {
    return result;
  }
  if (result.action !== 'update' && result.action !== 'none') return result;
  if (result.keys.some(k => k.state !== 'synced' && k.state !== 'removed')) {
    return result;
  }
  const produced = new Set(result.keys.map(k => k.secretKey));
  const stale = managed.data.filter(
    key => !produced.has(key) && Object.hasOwn(desired.data, key),
  );
  if (stale.length === 0) return result;
  const data = Object.fromEntries(
    Object.entries(desired.data).filter(([key]) => !stale.includes(key)),
  );
  const dataHash = computeDataHash(data);
  return {
    ...result,
    action: 'update',
    dataHash,
    removedKeys: [...new Set([...result.removedKeys, ...stale])].sort(),
    desired: {
      ...desired,
      data,
      metadata: {
        ...desired.metadata,
        annotations: {
          ...desired.metadata.annotations,
          [ANNOTATION_DATA_HASH]: dataHash,
        },
      },
    },
  };
}
