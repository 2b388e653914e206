import type { SecretValue } from '../values/SecretValue';
import type { KeyOutcome } from './entryOutcomes';

/** Collects synced keys; a key produced twice fails on both sides, naming both sources. */
export function collectProduced(
  outcomes: KeyOutcome[],
): Map<string, SecretValue> {
  const owners = new Map<string, KeyOutcome[]>();
  for (const outcome of outcomes) {
    const key = outcome.status.secretKey;
    if (
      outcome.status.state !== 'synced' ||
      key === undefined ||
      !outcome.value
    )
      continue;
    owners.set(key, [...(owners.get(key) ?? []), outcome]);
  }
  const produced = new Map<string, SecretValue>();
  for (const [key, sources] of owners) {
    if (sources.length === 1) {
      produced.set(key, sources[0].value!);
      continue;
    }
    const names = sources.map(s => s.status.source).join(' and ');
    for (const outcome of sources) {
      delete outcome.value;
      outcome.status = {
        ...outcome.status,
        state: 'error',
        reason: 'DuplicateKey',
        message: `key "${key}" is produced by both ${names}; rename one of them (secretKey or rewrite) so each key has one source`,
      };
    }
  }
  return produced;
}
