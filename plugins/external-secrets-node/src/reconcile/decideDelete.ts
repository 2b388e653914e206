import {
  LABEL_CREATED_BY,
  type ExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { computeCreatedByLabel } from './computeDataHash';
import { readyCondition, RECONCILE_MESSAGES } from './conditions';
import type { CurrentSecret, ReconcileInput, ReconcileResult } from './types';

function isOwnedByUs(
  current: CurrentSecret,
  externalSecret: ExternalSecret,
): boolean {
  const { name, namespace } = externalSecret.metadata;
  const byRef = current.metadata.ownerReferences?.some(
    r =>
      r.kind === 'ExternalSecret' && r.name === name && r.controller === true,
  );
  return (
    !!byRef ||
    current.metadata.labels?.[LABEL_CREATED_BY] ===
      computeCreatedByLabel(namespace ?? '', name)
  );
}

/** deletionPolicy Delete once every entry proved its keys gone: delete only an Owner Secret that is ours. */
export function decideDelete(
  input: ReconcileInput,
): Pick<ReconcileResult, 'action' | 'condition'> &
  Partial<Pick<ReconcileResult, 'removedKeys'>> {
  const { parsed, current, now } = input;
  const es = parsed.externalSecret;
  const policy = es.spec.target.creationPolicy;
  const secret = `Secret ${es.metadata.namespace}/${es.spec.target.name}`;
  if (policy !== 'Owner') {
    const message = `${RECONCILE_MESSAGES.errorDelete}: every remote key is gone, but deletionPolicy Delete needs creationPolicy Owner (it is ${policy}); ${secret} is kept`;
    return {
      action: 'none',
      condition: readyCondition('False', 'SecretSyncedError', message, now),
    };
  }
  if (!current)
    return {
      action: 'none',
      condition: readyCondition(
        'True',
        'SecretDeleted',
        RECONCILE_MESSAGES.deleted,
        now,
      ),
    };
  if (!isOwnedByUs(current, es)) {
    const message = `${RECONCILE_MESSAGES.errorDelete}: ${secret} was not created by this ExternalSecret (no ownerReference or created-by label), so it is kept`;
    return {
      action: 'none',
      condition: readyCondition('False', 'SecretSyncedError', message, now),
    };
  }
  return {
    action: 'delete',
    condition: readyCondition(
      'True',
      'SecretDeleted',
      RECONCILE_MESSAGES.deleted,
      now,
    ),
    removedKeys: Object.keys(current.data).sort(),
  };
}
