import { ConsumerVerdict, PodStart, UpdateMode } from './types';

/** Pods that run (or will): not finished, not being deleted. */
function runningPods(pods: PodStart[]): PodStart[] {
  return pods.filter(
    p => !p.deleting && p.phase !== 'Succeeded' && p.phase !== 'Failed',
  );
}

/**
 * A pod started before the change holds the old value. A pod without a start
 * time has not started yet: it will read the current data.
 */
function startedBefore(pod: PodStart, changedAtMs: number): boolean {
  if (!pod.startTime) return false;
  const started = Date.parse(pod.startTime);
  return !Number.isNaN(started) && started < changedAtMs;
}

/**
 * Whether a consumer's pods run the Secret's current data.
 *
 * `dataChangedAt` is when the Secret's data last changed (our write, or the
 * first time we saw its new data-hash); undefined when no change is on record,
 * in which case running pods are taken as current. `restartRequestedForChange`
 * says a restart for this very change was already requested (template patched);
 * `onDelete` (the OnDelete update strategy) says such a request rolls nothing:
 * stale pods stay "restart needed" until they are deleted.
 *
 * @public
 */
export function consumerVerdict(input: {
  updates: UpdateMode;
  /** Undefined when the pods could not be listed. */
  pods: PodStart[] | undefined;
  dataChangedAt?: Date;
  restartRequestedForChange?: boolean;
  onDelete?: boolean;
}): ConsumerVerdict {
  if (input.updates === 'next-run') {
    return { state: 'next-run', pods: 0, stalePods: 0 };
  }
  if (!input.pods) return { state: 'unknown', pods: 0, stalePods: 0 };
  const running = runningPods(input.pods);
  if (running.length === 0) return { state: 'no-pods', pods: 0, stalePods: 0 };
  const changedAt = input.dataChangedAt?.getTime();
  const stalePods =
    changedAt === undefined
      ? 0
      : running.filter(p => startedBefore(p, changedAt)).length;
  const counts = { pods: running.length, stalePods };
  if (input.updates === 'in-place') {
    return { state: 'updates-in-place', ...counts };
  }
  if (stalePods === 0) return { state: 'current', ...counts };
  return {
    state:
      input.restartRequestedForChange && !input.onDelete
        ? 'restarting'
        : 'restart-needed',
    ...counts,
  };
}
