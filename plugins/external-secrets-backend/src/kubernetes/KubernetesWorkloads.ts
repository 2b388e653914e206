import type {
  PodStart,
  WorkloadKind,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { AppsV1Api, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  ClusterRequests,
  coreTarget,
  FIELD_MANAGER,
  Target,
} from './ClusterRequests';
import { MERGE_PATCH } from './requestOptions';
import {
  toPodStart,
  toWorkloadObject,
  V1WorkloadLike,
} from './workloadMapping';

const PLURALS: Record<WorkloadKind, { group: string; plural: string }> = {
  Deployment: { group: 'apps', plural: 'deployments' },
  StatefulSet: { group: 'apps', plural: 'statefulsets' },
  DaemonSet: { group: 'apps', plural: 'daemonsets' },
  CronJob: { group: 'batch', plural: 'cronjobs' },
};

function workloadTarget(
  verb: 'list' | 'patch',
  kind: WorkloadKind,
  namespace: string,
  name?: string,
): Target {
  const { group, plural } = PLURALS[kind];
  return { verb, group, resource: plural, namespace, name };
}

/**
 * The rollout step's reads and its one write: workloads (one list per kind
 * and namespace), pods by label selector, and the pod template annotation
 * patch that rolls a workload.
 */
export class KubernetesWorkloads {
  constructor(
    private readonly apps: AppsV1Api,
    private readonly batch: BatchV1Api,
    private readonly core: CoreV1Api,
    private readonly requests: ClusterRequests,
  ) {}

  async listWorkloads(
    kind: WorkloadKind,
    namespace: string,
  ): Promise<WorkloadObject[]> {
    const { pageSize } = this.requests;
    const items = await this.requests.paged<V1WorkloadLike>(
      workloadTarget('list', kind, namespace),
      (opts, _continue) => {
        const page = { namespace, limit: pageSize, _continue };
        switch (kind) {
          case 'Deployment':
            return this.apps.listNamespacedDeployment(page, opts);
          case 'StatefulSet':
            return this.apps.listNamespacedStatefulSet(page, opts);
          case 'DaemonSet':
            return this.apps.listNamespacedDaemonSet(page, opts);
          default:
            return this.batch.listNamespacedCronJob(page, opts);
        }
      },
    );
    return items.map(item => toWorkloadObject(kind, item));
  }

  async listPods(
    namespace: string,
    labelSelector: string,
  ): Promise<PodStart[]> {
    const { pageSize } = this.requests;
    const items = await this.requests.paged(
      coreTarget('list', 'pods', namespace),
      (opts, _continue) =>
        this.core.listNamespacedPod(
          { namespace, labelSelector, limit: pageSize, _continue },
          opts,
        ),
    );
    return items.map(toPodStart);
  }

  /**
   * Merge-patches annotations onto the pod template (Reloader's annotation
   * strategy): the controller rolls the pods. Not for CronJobs.
   */
  async patchPodTemplateAnnotations(
    kind: Exclude<WorkloadKind, 'CronJob'>,
    namespace: string,
    name: string,
    annotations: Record<string, string>,
  ): Promise<void> {
    const target: Target = {
      ...workloadTarget('patch', kind, namespace, name),
      contentType: MERGE_PATCH,
    };
    const body = { spec: { template: { metadata: { annotations } } } };
    const request = { namespace, name, body, fieldManager: FIELD_MANAGER };
    await this.requests.call(target, opts => {
      switch (kind) {
        case 'Deployment':
          return this.apps.patchNamespacedDeployment(request, opts);
        case 'StatefulSet':
          return this.apps.patchNamespacedStatefulSet(request, opts);
        default:
          return this.apps.patchNamespacedDaemonSet(request, opts);
      }
    });
  }
}
