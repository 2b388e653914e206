import type { SecretValue } from '../values/SecretValue';
import type { KeyOutcome } from './entryOutcomes';

/**
 * Collects synced keys in ESO's precedence (getProviderSecretData in
 * pkg/controllers/externalsecret/externalsecret_controller_secret.go): the
 * dataFrom entries merged in order, a later one winning, then every data entry
 * set over them, a later one winning. A key that loses stays synced, with a
 * message naming the entry that overrides it.
 */
export function collectProduced(
  outcomes: KeyOutcome[],
): Map<string, SecretValue> {
  const winners = new Map<string, KeyOutcome>();
  for (const outcome of outcomes) {
    const key = outcome.status.secretKey;
    if (
      outcome.status.state !== 'synced' ||
      key === undefined ||
      !outcome.value
    )
      continue;
    const current = winners.get(key);
    if (current && precedence(current) > precedence(outcome)) {
      markOverridden(outcome, key, current);
      continue;
    }
    if (current) markOverridden(current, key, outcome);
    winners.set(key, outcome);
  }
  return new Map([...winners].map(([key, outcome]) => [key, outcome.value!]));
}

/** data[i] over dataFrom[j]; within each, the later entry. */
function precedence(outcome: KeyOutcome): number {
  const match = /^(data|dataFrom)\[(\d+)\]/.exec(outcome.status.source);
  if (!match) return -1;
  const index = Number(match[2]);
  return match[1] === 'data' ? 1_000_000 + index : index;
}

function markOverridden(loser: KeyOutcome, key: string, winner: KeyOutcome) {
  loser.status = {
    ...loser.status,
    reason: 'Overridden',
    message: `key "${key}" of ${loser.status.source} is overridden by ${winner.status.source}`,
  };
}
