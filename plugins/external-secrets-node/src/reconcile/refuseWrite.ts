import type { TemplateData } from './applyTemplate';
import { failureMessage, readyCondition } from './conditions';
import type { KeyStatus, ReconcileInput, ReconcileResult } from './types';

/** Entries the apiserver's CRD validation would refuse (unsupported ones ESO accepts). */
export function invalidEntryIds(parsed: ReconcileInput['parsed']): string[] {
  return parsed.invalidEntries
    .filter(entry => entry.issues.some(i => i.severity === 'error'))
    .map(entry => `${entry.field}[${entry.index}]`);
}

/**
 * Template keys the template itself breaks (a syntax error, an unknown
 * function, a missing key, a key Kubernetes refuses). A key whose INPUT could
 * not be read is not among them: it keeps its current value, as any failed
 * read does.
 */
export function brokenTemplateKeys(
  templateData: TemplateData | undefined,
): string[] {
  return (templateData?.outcomes ?? [])
    .map(o => o.status)
    .filter(s => s.state === 'error' && s.reason !== 'InputUnavailable')
    .map(s => s.source);
}

/**
 * Writes nothing and fails the ExternalSecret, naming the failing sources.
 * - An invalid entry: ESO never sees such an ExternalSecret (the apiserver's
 *   CRD validation refuses the whole object and the last valid spec stays in
 *   force); a declared manifest has no such gate, and writing its valid entries
 *   alone would drop the invalid entry's key from a live Secret.
 * - A broken template: ESO's Reconcile returns on the template error before
 *   the Secret is written (externalsecret_controller.go, ApplyTemplate).
 */
export function refuseWrite(
  input: ReconcileInput,
  statuses: KeyStatus[],
  refusal: { failing: string[]; prefix: string; why: string },
): ReconcileResult {
  const { failing } = refusal;
  const notWritten = `not written: ${failing.join(', ')} ${
    failing.length === 1 ? 'is' : 'are'
  } ${refusal.why}`;
  const failures = statuses.filter(s => failing.includes(s.source));
  return {
    action: 'none',
    condition: readyCondition(
      'False',
      'SecretSyncedError',
      failureMessage(refusal.prefix, failures, failures.length),
      input.now,
    ),
    keys: statuses.map(
      (s): KeyStatus =>
        s.state === 'synced'
          ? {
              ...s,
              state: 'pending',
              reason: 'NotWritten',
              message: notWritten,
            }
          : s,
    ),
    changedKeys: [],
    removedKeys: [],
  };
}
