import { RELOADER_ANNOTATIONS } from './reloaderAnnotations';
import { podTemplateOf } from './podTemplate';
import { SecretUse, WorkloadObject } from './types';

/**
 * Reloader's ReloadSource (internal/pkg/util/reload_source.go), the JSON value
 * of `reloader.stakater.com/last-reloaded-from` its annotation strategy puts on
 * the pod template. Changing the template is what rolls the pods.
 * @public
 */
export type ReloadSource = {
  type: 'SECRET';
  name: string;
  namespace: string;
  /** The Secret's data-hash (ESO's annotation): no value, only a digest. */
  hash: string;
  containerRefs: string[];
  /** Unix seconds. */
  observedAt: number;
};

/** The pod template annotation that restarts the workload for this change. @public */
export function restartAnnotation(input: {
  secretName: string;
  namespace: string;
  dataHash: string;
  uses: SecretUse[];
  now: Date;
}): Record<string, string> {
  const containers = [
    ...new Set(input.uses.filter(u => !u.init).map(u => u.container)),
  ];
  const source: ReloadSource = {
    type: 'SECRET',
    name: input.secretName,
    namespace: input.namespace,
    hash: input.dataHash,
    containerRefs: containers,
    observedAt: Math.floor(input.now.getTime() / 1000),
  };
  return { [RELOADER_ANNOTATIONS.lastReloadedFrom]: JSON.stringify(source) };
}

/**
 * What the pod template says its last restart was for, if it says.
 *
 * @public
 */
export function lastReloadedFrom(
  workload: WorkloadObject,
): Partial<ReloadSource> | undefined {
  const raw =
    podTemplateOf(workload)?.metadata?.annotations?.[
      RELOADER_ANNOTATIONS.lastReloadedFrom
    ];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when the pod template was already restarted for this data of this
 * Secret (by us, another replica, or Reloader): at most one patch per change.
 *
 * @public
 */
export function alreadyRestartedFor(
  workload: WorkloadObject,
  secretName: string,
  dataHash: string,
): boolean {
  const last = lastReloadedFrom(workload);
  return last?.name === secretName && last?.hash === dataHash;
}
