import { PodTemplateLike, WorkloadObject } from './types';

/**
 * The pod template of a workload (a CronJob's is inside its job template).
 *
 * @public
 */
export function podTemplateOf(
  workload: WorkloadObject,
): PodTemplateLike | undefined {
  return workload.kind === 'CronJob'
    ? workload.spec?.jobTemplate?.spec?.template
    : workload.spec?.template;
}
