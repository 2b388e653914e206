import { compileGoRegexp, goRegexpMatches } from '../reconcile/goRegexp';
import { podTemplateOf } from './podTemplate';
import { WorkloadObject } from './types';

/**
 * Stakater Reloader's annotations (internal/pkg/options and
 * internal/pkg/handler/upgrade.go, PerformAction), honoured so teams keep the
 * opt-in they already use.
 * @public
 */
export const RELOADER_ANNOTATIONS = {
  auto: 'reloader.stakater.com/auto',
  secretAuto: 'secret.reloader.stakater.com/auto',
  secretReload: 'secret.reloader.stakater.com/reload',
  search: 'reloader.stakater.com/search',
  /** On the Secret: workloads with `search: "true"` reload on its change. */
  match: 'reloader.stakater.com/match',
  /** On the Secret: Reloader ignores its changes. */
  ignore: 'reloader.stakater.com/ignore',
  /** On the pod template: what the last restart was for (annotation strategy). */
  lastReloadedFrom: 'reloader.stakater.com/last-reloaded-from',
} as const;

const WORKLOAD_KEYS = [
  RELOADER_ANNOTATIONS.auto,
  RELOADER_ANNOTATIONS.secretAuto,
  RELOADER_ANNOTATIONS.secretReload,
  RELOADER_ANNOTATIONS.search,
];

/**
 * Reloader reads the workload's own annotations and, only when none of its
 * keys is there, the pod template's.
 */
export function reloaderAnnotations(
  workload: WorkloadObject,
): Record<string, string> {
  const own = workload.metadata.annotations ?? {};
  if (WORKLOAD_KEYS.some(key => key in own)) return own;
  return podTemplateOf(workload)?.metadata?.annotations ?? {};
}

/** `secret.reloader.stakater.com/reload`: comma-separated, each anchored (`^name$`). */
export function namedForReload(
  list: string | undefined,
  secretName: string,
): boolean {
  if (!list) return false;
  return list
    .split(',')
    .map(v => v.trim())
    .some(pattern => {
      try {
        return goRegexpMatches(compileGoRegexp(`^${pattern}$`), secretName);
      } catch {
        return false; // Reloader's MustCompile would crash; we skip the entry
      }
    });
}

/**
 * Whether the workload names the Secret in `secret.reloader.stakater.com/reload`,
 * which restarts it on the Secret's change whether or not a container reads it.
 */
export function namesSecretForReload(
  workload: WorkloadObject,
  secretName: string,
): boolean {
  return namedForReload(
    reloaderAnnotations(workload)[RELOADER_ANNOTATIONS.secretReload],
    secretName,
  );
}
