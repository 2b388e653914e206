import { podTemplateOf } from './podTemplate';
import { namesSecretForReload } from './reloaderAnnotations';
import {
  ContainerLike,
  PodTemplateLike,
  SecretConsumer,
  SecretUse,
  UpdateMode,
  VolumeLike,
  WorkloadObject,
} from './types';

/** Names of the pod's volumes that carry the Secret, and how. */
function secretVolumes(
  volumes: VolumeLike[] | undefined,
  secretName: string,
): Map<string, 'volume' | 'projected'> {
  const found = new Map<string, 'volume' | 'projected'>();
  for (const volume of volumes ?? []) {
    if (!volume.name) continue;
    if (volume.secret?.secretName === secretName) {
      found.set(volume.name, 'volume');
    } else if (
      volume.projected?.sources?.some(s => s.secret?.name === secretName)
    ) {
      found.set(volume.name, 'projected');
    }
  }
  return found;
}

function containerUses(
  container: ContainerLike,
  init: boolean,
  secretName: string,
  volumes: Map<string, 'volume' | 'projected'>,
): SecretUse[] {
  const name = container.name ?? '';
  const uses: SecretUse[] = [];
  for (const env of container.env ?? []) {
    if (env.valueFrom?.secretKeyRef?.name === secretName) {
      uses.push({ container: name, init, via: 'env', target: env.name });
    }
  }
  for (const source of container.envFrom ?? []) {
    if (source.secretRef?.name === secretName) {
      uses.push({ container: name, init, via: 'envFrom' });
    }
  }
  for (const mount of container.volumeMounts ?? []) {
    const via = mount.name ? volumes.get(mount.name) : undefined;
    if (!via) continue;
    uses.push({
      container: name,
      init,
      via,
      target: mount.mountPath,
      ...((mount.subPath || mount.subPathExpr) && { subPath: true }),
    });
  }
  return uses;
}

/**
 * Every place the pod template reads the Secret, containers then init
 * containers. A volume no container mounts is not a read.
 *
 * @public
 */
export function findSecretUses(
  template: PodTemplateLike | undefined,
  secretName: string,
): SecretUse[] {
  const spec = template?.spec;
  if (!spec) return [];
  const volumes = secretVolumes(spec.volumes, secretName);
  return [
    ...(spec.containers ?? []).flatMap(c =>
      containerUses(c, false, secretName, volumes),
    ),
    ...(spec.initContainers ?? []).flatMap(c =>
      containerUses(c, true, secretName, volumes),
    ),
  ];
}

/**
 * A read the kubelet refreshes in place: a whole mounted volume in a
 * long-running container. Env vars and `subPath` files are fixed at container
 * start, and an init container has finished reading by then.
 */
function updatesInPlace(use: SecretUse): boolean {
  return (
    (use.via === 'volume' || use.via === 'projected') &&
    !use.subPath &&
    !use.init
  );
}

/**
 * How the consumer's pods get a new value (the worst of its reads).
 *
 * @public
 */
export function updateModeOf(
  workload: WorkloadObject,
  uses: SecretUse[],
): UpdateMode {
  if (workload.kind === 'CronJob') return 'next-run';
  if (uses.length === 0) return 'restart'; // named for a Reloader restart only
  return uses.every(updatesInPlace) ? 'in-place' : 'restart';
}

/**
 * The workload as a consumer of the Secret, or undefined when it neither reads
 * it nor names it in `secret.reloader.stakater.com/reload` (Reloader restarts
 * such a workload on the Secret's change even though no container reads it).
 *
 * @public
 */
export function findConsumer(
  workload: WorkloadObject,
  secretName: string,
): SecretConsumer | undefined {
  const uses = findSecretUses(podTemplateOf(workload), secretName);
  if (uses.length === 0 && !namesSecretForReload(workload, secretName)) {
    return undefined;
  }
  return {
    kind: workload.kind,
    name: workload.metadata.name,
    uses,
    updates: updateModeOf(workload, uses),
    paused: workload.kind === 'Deployment' && workload.spec?.paused === true,
    onDelete:
      (workload.kind === 'StatefulSet' || workload.kind === 'DaemonSet') &&
      workload.spec?.updateStrategy?.type === 'OnDelete',
  };
}

/**
 * The workloads (of one namespace) that read the Secret, in the given order.
 *
 * @public
 */
export function findConsumers(
  workloads: WorkloadObject[],
  secretName: string,
): SecretConsumer[] {
  return workloads.flatMap(w => {
    const consumer = findConsumer(w, secretName);
    return consumer ? [consumer] : [];
  });
}
