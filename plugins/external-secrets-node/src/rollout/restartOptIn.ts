import { compileGoRegexp, goRegexpMatches } from '../reconcile/goRegexp';
import { podTemplateOf } from './findConsumers';
import { SecretUse, WorkloadObject } from './types';

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

/**
 * Our own opt-in, on the ExternalSecret: `"true"` restarts every workload that
 * reads its target Secret when our write changes the Secret's data.
 * @public
 */
export const ANNOTATION_RESTART_ON_CHANGE =
  'external-secrets-backstage.io/restart-on-change';

/** Which annotation asked for a restart on change. @public */
export type RestartOptIn =
  | typeof RELOADER_ANNOTATIONS.auto
  | typeof RELOADER_ANNOTATIONS.secretAuto
  | typeof RELOADER_ANNOTATIONS.secretReload
  | typeof RELOADER_ANNOTATIONS.search
  | typeof ANNOTATION_RESTART_ON_CHANGE;

const WORKLOAD_KEYS = [
  RELOADER_ANNOTATIONS.auto,
  RELOADER_ANNOTATIONS.secretAuto,
  RELOADER_ANNOTATIONS.secretReload,
  RELOADER_ANNOTATIONS.search,
];

/** Go's strconv.ParseBool true values, as Reloader parses `auto`. */
function parseBool(value: string | undefined): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value ?? '');
}

/**
 * Reloader reads the workload's own annotations and, only when none of its
 * keys is there, the pod template's.
 */
function reloaderAnnotations(workload: WorkloadObject): Record<string, string> {
  const own = workload.metadata.annotations ?? {};
  if (WORKLOAD_KEYS.some(key => key in own)) return own;
  return podTemplateOf(workload)?.metadata?.annotations ?? {};
}

/** `secret.reloader.stakater.com/reload`: comma-separated, each anchored (`^name$`). */
function namedForReload(list: string | undefined, secretName: string): boolean {
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
 * Whether the workload asked to be restarted when the Secret's data changes,
 * and through which annotation. Follows Reloader's PerformAction: `auto` /
 * `secret.reloader.stakater.com/auto` and search+match need a container that
 * reads the Secret (`uses`); a name in `secret.reloader.stakater.com/reload`
 * suffices alone. A Secret annotated `reloader.stakater.com/ignore: "true"`
 * restarts nothing. Our own annotation on the ExternalSecret comes last.
 *
 * @public
 */
export function restartOptIn(input: {
  workload: WorkloadObject;
  secretName: string;
  /** The Secret's annotations after our write (match / ignore). */
  secretAnnotations?: Record<string, string>;
  /** The ExternalSecret's annotations. */
  externalSecretAnnotations?: Record<string, string>;
  uses: SecretUse[];
}): RestartOptIn | undefined {
  const secret = input.secretAnnotations ?? {};
  if (secret[RELOADER_ANNOTATIONS.ignore] === 'true') return undefined;
  const annotations = reloaderAnnotations(input.workload);
  const reads = input.uses.length > 0;
  if (reads && parseBool(annotations[RELOADER_ANNOTATIONS.auto])) {
    return RELOADER_ANNOTATIONS.auto;
  }
  if (reads && parseBool(annotations[RELOADER_ANNOTATIONS.secretAuto])) {
    return RELOADER_ANNOTATIONS.secretAuto;
  }
  if (
    namedForReload(
      annotations[RELOADER_ANNOTATIONS.secretReload],
      input.secretName,
    )
  ) {
    return RELOADER_ANNOTATIONS.secretReload;
  }
  if (
    reads &&
    annotations[RELOADER_ANNOTATIONS.search] === 'true' &&
    secret[RELOADER_ANNOTATIONS.match] === 'true'
  ) {
    return RELOADER_ANNOTATIONS.search;
  }
  if (
    reads &&
    input.externalSecretAnnotations?.[ANNOTATION_RESTART_ON_CHANGE] === 'true'
  ) {
    return ANNOTATION_RESTART_ON_CHANGE;
  }
  return undefined;
}
