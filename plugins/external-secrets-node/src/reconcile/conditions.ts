import type {
  Condition,
  ExternalSecretConditionReason,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { KeyStatus } from './types';

/**
 * Condition texts. The success texts are ESO's own (users grep for them);
 * error texts start like ESO's and then name the real causes.
 *
 * @public
 */
export const RECONCILE_MESSAGES = {
  synced: 'secret synced',
  syncedRetainEmpty:
    'secret retained: the provider returned no data, and an empty result is never treated as deletion',
  deleted: 'secret deleted due to DeletionPolicy=Delete',
  missing: 'secret will not be created due to CreationPolicy=Merge',
  notCreatedNone: 'secret synced (CreationPolicy=None: nothing is written)',
  errorGetSecretData: 'could not get secret data from provider',
  errorIsOwned: 'target is owned by another controller',
  errorImmutable: 'could not update secret, target is immutable',
  errorUpdate: 'could not update secret',
  errorDelete: 'could not delete secret',
  invalidSpec: 'invalid ExternalSecret spec, nothing is written',
  errorTemplate: 'could not apply template, nothing is written',
} as const;

const MAX_CAUSES = 5;

export function readyCondition(
  status: 'True' | 'False',
  reason: ExternalSecretConditionReason,
  message: string,
  now: Date,
): Condition<ExternalSecretConditionReason> {
  return {
    type: 'Ready',
    status,
    reason,
    message,
    lastTransitionTime: now.toISOString(),
  };
}

export function isFailure(status: KeyStatus): boolean {
  return (
    status.state === 'error' ||
    status.state === 'unsupported' ||
    status.state === 'pending'
  );
}

function keyName(status: KeyStatus): string {
  const key = status.secretKey ? ` key "${status.secretKey}"` : '';
  return `${status.source}${key}`;
}

/**
 * One cause per distinct message, naming every key it failed: a missing
 * store is said once, not once per key that reads through it.
 */
function describeKeys(failures: KeyStatus[]): string[] {
  const byCause = new Map<string, string[]>();
  for (const status of failures) {
    const cause = status.message ?? status.reason ?? 'failed';
    byCause.set(cause, [...(byCause.get(cause) ?? []), keyName(status)]);
  }
  return [...byCause].map(([cause, keys]) => `${keys.join(', ')}: ${cause}`);
}

/** `could not get secret data from provider: 1 of 3 keys failed: data[0] key "a": ...; ...`. */
export function failureMessage(
  prefix: string,
  failures: KeyStatus[],
  total: number,
  extra: string[] = [],
): string {
  const causes = [...extra, ...describeKeys(failures)];
  const shown = causes.slice(0, MAX_CAUSES).join('; ');
  const more =
    causes.length > MAX_CAUSES
      ? `; and ${causes.length - MAX_CAUSES} more`
      : '';
  const count = failures.length
    ? `${failures.length} of ${total} keys failed: `
    : '';
  return `${prefix}: ${count}${shown}${more}`;
}
