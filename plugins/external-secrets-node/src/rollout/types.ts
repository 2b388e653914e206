/**
 * Shapes of the rollout logic: which workloads read a Secret, how, and
 * whether their pods run its current data. Workloads arrive as the apiserver
 * sends them (metadata and pod template only, never Secret data), so every
 * field is optional.
 */

/** The workload kinds whose pod templates are searched. @public */
export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'CronJob';

/**
 * The workload kinds whose pod templates can read a Secret.
 *
 * @public
 */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
];

/**
 * The parts of a container spec that can read a Secret: env, envFrom and volume mounts.
 *
 * @public
 */
export type ContainerLike = {
  name?: string;
  env?: {
    name?: string;
    valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
  }[];
  envFrom?: { secretRef?: { name?: string } }[];
  volumeMounts?: {
    name?: string;
    mountPath?: string;
    subPath?: string;
    subPathExpr?: string;
  }[];
};

/**
 * The parts of a pod volume that can read a Secret: `secret` and projected `secret` sources.
 *
 * @public
 */
export type VolumeLike = {
  name?: string;
  secret?: { secretName?: string };
  projected?: { sources?: { secret?: { name?: string } }[] };
};

/**
 * The parts of a workload's pod template that tell whether and how it reads a Secret.
 *
 * @public
 */
export type PodTemplateLike = {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    volumes?: VolumeLike[];
  };
};

/** A workload as listed: metadata, selector and pod template. @public */
export type WorkloadObject = {
  kind: WorkloadKind;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    paused?: boolean;
    /** StatefulSets and DaemonSets: `OnDelete` rolls pods only when they are deleted. */
    updateStrategy?: { type?: string };
    selector?: {
      matchLabels?: Record<string, string>;
      matchExpressions?: {
        key: string;
        operator: string;
        values?: string[];
      }[];
    };
    template?: PodTemplateLike;
    jobTemplate?: { spec?: { template?: PodTemplateLike } };
  };
};

/**
 * One place a container reads the Secret: an env var (`secretKeyRef`), all
 * keys as env vars (`envFrom`), a mounted `secret` volume or a `projected`
 * volume source; `subPath` when the mount picks one file out of it.
 * @public
 */
export type SecretUse = {
  container: string;
  /** An init container: it read the value once, when the pod started. */
  init: boolean;
  via: 'env' | 'envFrom' | 'volume' | 'projected';
  /** The env var name (env) or mount path (volumes). */
  target?: string;
  /** A volume mount with `subPath`/`subPathExpr`: the kubelet never updates it. */
  subPath?: boolean;
};

/**
 * How a change of the Secret reaches the consumer's pods:
 * - `restart`: env vars, `subPath` mounts and init containers hold the value
 *   from pod start until the pod is replaced;
 * - `in-place`: a mounted volume is rewritten by the kubelet within its sync
 *   period (about a minute plus its cache TTL), no restart;
 * - `next-run`: a CronJob's next Job starts new pods, which read the new value.
 * @public
 */
export type UpdateMode = 'restart' | 'in-place' | 'next-run';

/** A workload that reads the Secret. @public */
export type SecretConsumer = {
  kind: WorkloadKind;
  name: string;
  uses: SecretUse[];
  updates: UpdateMode;
  /** A paused Deployment: a template change does not roll it. */
  paused: boolean;
  /**
   * A StatefulSet or DaemonSet with `updateStrategy.type: OnDelete`: a
   * template change (a restart) replaces no pod until someone deletes it.
   */
  onDelete: boolean;
};

/** A pod as far as the verdict needs it. @public */
export type PodStart = {
  name: string;
  /** `status.startTime` (RFC 3339); absent while the pod is still scheduled. */
  startTime?: string;
  /** `status.phase`. */
  phase?: string;
  deleting?: boolean;
};

/**
 * Whether the consumer's pods run the Secret's current data:
 * - `current`: every running pod started after the last data change;
 * - `restart-needed`: `stalePods` of `pods` started before it (with the
 *   OnDelete update strategy even after a restart was requested: its pods
 *   roll only when deleted);
 * - `restarting`: a restart for this very change was requested, pods still
 *   roll;
 * - `updates-in-place`: volume consumers, refreshed by the kubelet;
 * - `next-run`: a CronJob, its next run reads the new value;
 * - `no-pods`: nothing runs;
 * - `unknown`: the pods could not be listed.
 * @public
 */
export type VerdictState =
  | 'current'
  | 'restart-needed'
  | 'restarting'
  | 'updates-in-place'
  | 'next-run'
  | 'no-pods'
  | 'unknown';

/**
 * Whether a consumer's running pods have the Secret's current data, and why.
 *
 * @public
 */
export type ConsumerVerdict = {
  state: VerdictState;
  /** Running pods. */
  pods: number;
  /** Running pods that started before the last data change. */
  stalePods: number;
};
