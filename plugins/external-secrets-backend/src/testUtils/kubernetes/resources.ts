/**
 * The resource types the simulator serves, described the way the apiserver's
 * discovery does: group, version, plural, kind, scope and whether `status` is a
 * subresource (true for ESO's CRDs, which is what makes `PUT .../status` the only
 * way to write status and the main `PUT` ignore it).
 */

/** Kinds the Kubernetes simulator stores. @public */
export type SimulatedKind =
  | 'Secret'
  | 'ConfigMap'
  | 'Namespace'
  | 'Event'
  | 'ExternalSecret'
  | 'SecretStore'
  | 'ClusterSecretStore'
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'CronJob'
  | 'Pod';

/** @internal */
export type ResourceType = {
  kind: SimulatedKind;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /** A CustomResourceDefinition with the status subresource (ESO's CRDs). */
  custom: boolean;
};

const ESO_GROUP = 'external-secrets.io';

/** @internal */
export const RESOURCE_TYPES: ResourceType[] = [
  {
    kind: 'Secret',
    group: '',
    version: 'v1',
    plural: 'secrets',
    namespaced: true,
    custom: false,
  },
  {
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    plural: 'configmaps',
    namespaced: true,
    custom: false,
  },
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    namespaced: false,
    custom: false,
  },
  {
    kind: 'Event',
    group: '',
    version: 'v1',
    plural: 'events',
    namespaced: true,
    custom: false,
  },
  {
    kind: 'ExternalSecret',
    group: ESO_GROUP,
    version: 'v1',
    plural: 'externalsecrets',
    namespaced: true,
    custom: true,
  },
  {
    kind: 'SecretStore',
    group: ESO_GROUP,
    version: 'v1',
    plural: 'secretstores',
    namespaced: true,
    custom: true,
  },
  {
    kind: 'ClusterSecretStore',
    group: ESO_GROUP,
    version: 'v1',
    plural: 'clustersecretstores',
    namespaced: false,
    custom: true,
  },
];

// Workloads and pods, for the rollout step (their status is not a
// subresource here: nothing in the simulator writes it but the test).
for (const [kind, group, plural] of [
  ['Deployment', 'apps', 'deployments'],
  ['StatefulSet', 'apps', 'statefulsets'],
  ['DaemonSet', 'apps', 'daemonsets'],
  ['CronJob', 'batch', 'cronjobs'],
  ['Pod', '', 'pods'],
] as const) {
  RESOURCE_TYPES.push({
    kind,
    group,
    version: 'v1',
    plural,
    namespaced: true,
    custom: false,
  });
}

/** `v1` for the core group, `group/version` otherwise. @internal */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `secrets` for core, `externalsecrets.external-secrets.io` otherwise: how Status messages name a resource. @internal */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** @internal */
export function resourceTypeByKind(kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find(t => t.kind === kind);
}

/** @internal */
export function resourceTypeByPath(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => t.group === group && t.version === version && t.plural === plural,
  );
}
