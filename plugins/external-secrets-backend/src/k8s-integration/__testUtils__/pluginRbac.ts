import { V1PolicyRule } from '@kubernetes/client-node';

/**
 * The plugin's least privilege (reconcile mode with sync-now), as
 * `scripts/kube-test-env.sh` grants it to the control plane's plugin account and
 * the plugin README documents it: every test that connects as the plugin runs
 * with exactly these rules.
 */
export const PLUGIN_RULES: V1PolicyRule[] = [
  {
    apiGroups: ['external-secrets.io'],
    resources: ['externalsecrets', 'secretstores', 'clustersecretstores'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['external-secrets.io'],
    resources: [
      'externalsecrets/status',
      'secretstores/status',
      'clustersecretstores/status',
    ],
    verbs: ['update'],
  },
  {
    apiGroups: ['external-secrets.io'],
    resources: ['externalsecrets'],
    verbs: ['patch'],
  },
  {
    apiGroups: [''],
    resources: ['secrets'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
  },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

/** The README's observe-mode role: reads only, Secret metadata included. */
export const OBSERVE_RULES: V1PolicyRule[] = [
  {
    apiGroups: ['external-secrets.io'],
    resources: ['externalsecrets', 'secretstores', 'clustersecretstores'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: [''],
    resources: ['secrets'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
];

/** PLUGIN_RULES minus one verb on one resource. */
export function rulesWithout(
  group: string,
  resource: string,
  verb: string,
): V1PolicyRule[] {
  return PLUGIN_RULES.map(rule =>
    rule.apiGroups?.includes(group) && rule.resources?.includes(resource)
      ? { ...rule, verbs: rule.verbs.filter(v => v !== verb) }
      : rule,
  );
}

/**
 * The README's extra verbs for `rollout: observe`: list the workloads and
 * their pods (pod templates and start times, never Secret data).
 */
export const ROLLOUT_OBSERVE_RULES: V1PolicyRule[] = [
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'statefulsets', 'daemonsets'],
    verbs: ['list'],
  },
  { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['list'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
];

/** `rollout: restart` adds `patch` on the workloads it rolls. */
export const ROLLOUT_RESTART_RULES: V1PolicyRule[] = [
  ...ROLLOUT_OBSERVE_RULES,
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'statefulsets', 'daemonsets'],
    verbs: ['patch'],
  },
];
