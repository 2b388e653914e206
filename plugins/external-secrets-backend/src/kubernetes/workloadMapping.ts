/**
 * Workloads and pods as the rollout step needs them, and nothing more: names,
 * labels, Reloader's annotations, selector and the pod template's Secret
 * references. Literal env values (`env[].value`), other annotations (kubectl's
 * last-applied-configuration holds the whole manifest, literal values
 * included) and everything else of a pod spec are dropped here, so they never
 * travel further than the HTTP answer.
 */
import type {
  ContainerLike,
  PodStart,
  PodTemplateLike,
  VolumeLike,
  WorkloadKind,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type {
  V1Container,
  V1LabelSelector,
  V1Pod,
  V1PodTemplateSpec,
  V1Volume,
} from '@kubernetes/client-node';

type Meta = {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

/** What the four kinds have in common, as client-node types them. */
export type V1WorkloadLike = {
  metadata?: Meta;
  spec?: {
    paused?: boolean;
    updateStrategy?: { type?: string };
    selector?: V1LabelSelector;
    template?: V1PodTemplateSpec;
    jobTemplate?: { spec?: { template?: V1PodTemplateSpec } };
  };
};

/** `reloader.stakater.com/...`, `secret.reloader.stakater.com/...`: what the rollout reads. */
function isReloaderKey(key: string): boolean {
  const prefix = key.split('/')[0];
  return (
    prefix === 'reloader.stakater.com' ||
    prefix.endsWith('.reloader.stakater.com')
  );
}

function reloaderAnnotationsOnly(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!annotations) return undefined;
  return Object.fromEntries(
    Object.entries(annotations).filter(([key]) => isReloaderKey(key)),
  );
}

function container(c: V1Container): ContainerLike {
  return {
    name: c.name,
    env: (c.env ?? [])
      .filter(e => e.valueFrom?.secretKeyRef)
      .map(e => ({
        name: e.name,
        valueFrom: {
          secretKeyRef: {
            name: e.valueFrom!.secretKeyRef!.name,
            key: e.valueFrom!.secretKeyRef!.key,
          },
        },
      })),
    envFrom: (c.envFrom ?? [])
      .filter(e => e.secretRef)
      .map(e => ({ secretRef: { name: e.secretRef!.name } })),
    volumeMounts: (c.volumeMounts ?? []).map(m => ({
      name: m.name,
      mountPath: m.mountPath,
      ...(m.subPath && { subPath: m.subPath }),
      ...(m.subPathExpr && { subPathExpr: m.subPathExpr }),
    })),
  };
}

function volume(v: V1Volume): VolumeLike {
  return {
    name: v.name,
    ...(v.secret && { secret: { secretName: v.secret.secretName } }),
    ...(v.projected && {
      projected: {
        sources: (v.projected.sources ?? []).map(s =>
          s.secret ? { secret: { name: s.secret.name } } : {},
        ),
      },
    }),
  };
}

function template(t: V1PodTemplateSpec | undefined): PodTemplateLike {
  return {
    metadata: {
      labels: t?.metadata?.labels,
      annotations: reloaderAnnotationsOnly(t?.metadata?.annotations),
    },
    spec: {
      containers: (t?.spec?.containers ?? []).map(container),
      initContainers: (t?.spec?.initContainers ?? []).map(container),
      volumes: (t?.spec?.volumes ?? []).map(volume),
    },
  };
}

export function toWorkloadObject(
  kind: WorkloadKind,
  item: V1WorkloadLike,
): WorkloadObject {
  const meta = item.metadata ?? {};
  const spec = item.spec ?? {};
  return {
    kind,
    metadata: {
      name: meta.name ?? '',
      namespace: meta.namespace,
      uid: meta.uid,
      labels: meta.labels,
      annotations: reloaderAnnotationsOnly(meta.annotations),
    },
    spec:
      kind === 'CronJob'
        ? {
            jobTemplate: {
              spec: { template: template(spec.jobTemplate?.spec?.template) },
            },
          }
        : {
            ...(spec.paused !== undefined && { paused: spec.paused }),
            ...(spec.updateStrategy?.type && {
              updateStrategy: { type: spec.updateStrategy.type },
            }),
            selector: spec.selector && {
              matchLabels: spec.selector.matchLabels,
              matchExpressions: spec.selector.matchExpressions,
            },
            template: template(spec.template),
          },
  };
}

export function toPodStart(pod: V1Pod): PodStart {
  const startTime = pod.status?.startTime as Date | string | undefined;
  return {
    name: pod.metadata?.name ?? '',
    ...(startTime && {
      startTime:
        startTime instanceof Date ? startTime.toISOString() : String(startTime),
    }),
    ...(pod.status?.phase && { phase: pod.status.phase }),
    ...(pod.metadata?.deletionTimestamp && { deleting: true }),
  };
}

/**
 * A workload's `spec.selector` as a label selector string for a pod list;
 * undefined when it selects nothing expressible (no selector at all).
 */
export function selectorString(
  selector: NonNullable<WorkloadObject['spec']>['selector'],
): string | undefined {
  if (!selector) return undefined;
  const parts = Object.entries(selector.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
