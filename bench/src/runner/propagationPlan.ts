import { dependents, Workload } from '../workload';

/** Where Infisical's project webhook points (the plugin's route under /api/external-secrets). */
export const INFISICAL_WEBHOOK_URL_PATH =
  '/api/external-secrets/webhooks/infisical';

/** One remote value change in the propagation hour. */
export type PlannedChange = {
  /** The tick the change precedes (1-based). */
  minute: number;
  /** Seconds into the minute before that tick: spread over the minute, so the waits for the next tick average half a minute. */
  atSeconds: number;
  scope: number;
  key: number;
};

/**
 * `count` changes spread evenly over `ticks` minutes, in different scopes and
 * keys, each one mapped by at least one ExternalSecret.
 */
export function plannedChanges(
  ticks: number,
  count: number,
  w: Workload,
): PlannedChange[] {
  const changes: PlannedChange[] = [];
  for (let k = 0; k < count; k++) {
    const scope = (3 + 7 * k) % w.scopes;
    const first = (7 + 11 * k) % w.secretsPerScope;
    const key = Array.from(
      { length: w.secretsPerScope },
      (_, j) => (first + j) % w.secretsPerScope,
    ).find(candidate => dependents(scope, candidate, w).length > 0);
    if (key === undefined) continue; // a scope no ExternalSecret uses (tiny sizes)
    changes.push({
      minute: Math.floor(((k + 0.5) * ticks) / count) + 1,
      atSeconds: Math.round(((k + 0.5) / count) * 60 * 10) / 10,
      scope,
      key,
    });
  }
  return changes;
}
