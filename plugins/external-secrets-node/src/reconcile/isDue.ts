import {
  ANNOTATION_DATA_HASH,
  LABEL_MANAGED,
  parseGoDuration,
  type ExternalSecret,
  type ExternalSecretStatus,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { computeDataHash } from './computeDataHash';
import { syncedResourceVersion } from './syncedResourceVersion';
import type { CurrentSecret } from './types';

/**
 * Why an ExternalSecret is (not) due.
 *
 * @public
 */
export type DueReason =
  | 'never-synced'
  | 'spec-changed'
  | 'interval-elapsed'
  | 'refresh-time-in-future'
  | 'target-missing'
  | 'target-drifted'
  | 'not-yet'
  | 'synced-once'
  | 'unchanged'
  | 'invalid-refresh-interval';

/**
 * The answer of `isDue`.
 *
 * @public
 */
export type DueDecision = {
  due: boolean;
  reason: DueReason;
  /** For Periodic refresh: when it next becomes due (absent when due now or never). */
  nextDueAt?: Date;
  /** Set for `invalid-refresh-interval`: names the field and the value. */
  message?: string;
};

/**
 * Input of `isDue`.
 *
 * @public
 */
export type IsDueInput = {
  externalSecret: ExternalSecret;
  /** The last status written for it (defaults to `externalSecret.status`). */
  status?: ExternalSecretStatus;
  now: Date;
  /** The target Secret as it is now; `undefined` = absent. */
  targetSecret: CurrentSecret | undefined;
};

/**
 * Whether an ExternalSecret must be synced now, as ESO's `shouldRefresh`,
 * `shouldRefreshPeriodic` and `isSecretValid` (externalsecret_controller.go):
 * - any spec, label or annotation change (including `force-sync`) makes it due,
 *   through `syncedResourceVersion`, for Periodic and OnChange;
 * - Periodic: due when `refreshTime + refreshInterval <= now`; with
 *   `refreshInterval: 0` it syncs once and never again, not even on a change
 *   (ESO checks the interval before the version);
 * - OnChange: only on change; CreatedOnce: once;
 * - whatever the policy, a target Secret of creationPolicy Owner or
 *   CreateOrMerge that is missing, or whose managed label or data-hash no
 *   longer matches, makes it due now; Orphan is always valid (ESO). A missing
 *   Merge target or creationPolicy None would make ESO read and then write
 *   nothing: we skip the reads (same result, no provider calls).
 *
 * @public
 */
export function isDue(input: IsDueInput): DueDecision {
  const { externalSecret, now, targetSecret } = input;
  const status = input.status ?? externalSecret.status ?? {};
  const { refreshPolicy, refreshInterval } = externalSecret.spec;
  const intervalMs = parseGoDuration(refreshInterval);
  if (intervalMs === undefined) {
    return {
      due: false,
      reason: 'invalid-refresh-interval',
      message: `spec.refreshInterval "${refreshInterval}" is not a Go duration (e.g. 1h, 30m, 0)`,
    };
  }
  const neverSynced = !status.syncedResourceVersion || !status.refreshTime;
  if (neverSynced) return { due: true, reason: 'never-synced' };

  const targetProblem = targetNeedsSync(externalSecret, targetSecret);
  if (targetProblem) return { due: true, reason: targetProblem };

  const changed =
    status.syncedResourceVersion !== syncedResourceVersion(externalSecret);
  if (refreshPolicy === 'CreatedOnce')
    return { due: false, reason: 'synced-once' };
  if (refreshPolicy === 'OnChange') {
    return changed
      ? { due: true, reason: 'spec-changed' }
      : { due: false, reason: 'unchanged' };
  }
  if (intervalMs <= 0) return { due: false, reason: 'synced-once' };
  if (changed) return { due: true, reason: 'spec-changed' };
  return periodicDecision(new Date(status.refreshTime!), intervalMs, now);
}

function periodicDecision(
  refreshTime: Date,
  intervalMs: number,
  now: Date,
): DueDecision {
  if (Number.isNaN(refreshTime.getTime()))
    return { due: true, reason: 'never-synced' };
  if (refreshTime.getTime() > now.getTime())
    return { due: true, reason: 'refresh-time-in-future' };
  const nextDueAt = new Date(refreshTime.getTime() + intervalMs);
  if (nextDueAt.getTime() <= now.getTime())
    return { due: true, reason: 'interval-elapsed' };
  return { due: false, reason: 'not-yet', nextDueAt };
}

/** ESO's `isSecretValid`, for the creation policies where healing is ours to do. */
function targetNeedsSync(
  externalSecret: ExternalSecret,
  target: CurrentSecret | undefined,
): DueReason | undefined {
  const policy = externalSecret.spec.target.creationPolicy;
  if (policy === 'None' || policy === 'Orphan') return undefined;
  if (!target) return policy === 'Merge' ? undefined : 'target-missing';
  const managed = target.metadata.labels?.[LABEL_MANAGED] === 'true';
  const hash = target.metadata.annotations?.[ANNOTATION_DATA_HASH];
  if (!managed || hash !== computeDataHash(target.data))
    return 'target-drifted';
  return undefined;
}
