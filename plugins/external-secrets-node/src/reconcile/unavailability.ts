import { isFailure } from './conditions';
import type { KeyStatus } from './types';

/** Why an input key of the template is unavailable (read failure), for clear template errors. */
export function unavailability(
  statuses: KeyStatus[],
): (key: string) => string | undefined {
  const failed = new Map<string, string>();
  let keylessFailure: string | undefined;
  for (const status of statuses.filter(
    s => isFailure(s) || s.state === 'removed',
  )) {
    const why = `${status.source} failed (${status.reason})`;
    if (status.secretKey !== undefined) failed.set(status.secretKey, why);
    else keylessFailure ??= why;
  }
  const any = keylessFailure ?? failed.values().next().value;
  return key => (key === '' ? any : failed.get(key) ?? keylessFailure);
}
