import {
  namedForReload,
  reloaderAnnotations,
  RELOADER_ANNOTATIONS,
} from './reloaderAnnotations';
import { SecretUse, WorkloadObject } from './types';

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

/** Go's strconv.ParseBool true values, as Reloader parses `auto`. */
function parseBool(value: string | undefined): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value ?? '');
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
