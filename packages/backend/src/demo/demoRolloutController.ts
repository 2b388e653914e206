import type { KubernetesSimulator } from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';

const LAST_RELOADED = 'reloader.stakater.com/last-reloaded-from';
const INTERVAL_MS = 2_000;

type Deployment = {
  metadata: { name: string; namespace?: string };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      spec?: { containers?: { name: string; image?: string }[] };
    };
  };
};

/**
 * DEMO ONLY: plays the Deployment controller in the simulated cluster, for
 * the one thing the rollout demo needs. When a Deployment's pod template
 * annotation `reloader.stakater.com/last-reloaded-from` changes (a restart by
 * the plugin), its pods are replaced by new ones that start now. Returns a
 * function that stops it.
 */
export function startDemoRolloutController(
  kubernetes: KubernetesSimulator,
): () => void {
  const seen = new Map<string, string | undefined>();
  const tick = () => {
    for (const object of kubernetes.list('Deployment')) {
      const deployment = object as unknown as Deployment;
      const key = `${deployment.metadata.namespace}/${deployment.metadata.name}`;
      const restartedFor =
        deployment.spec?.template?.metadata?.annotations?.[LAST_RELOADED];
      const known = seen.has(key);
      const before = seen.get(key);
      seen.set(key, restartedFor);
      // Seeded templates are taken as they are; only a change rolls the pods.
      if (!known || !restartedFor || before === restartedFor) continue;
      replacePods(kubernetes, deployment);
    }
  };
  tick();
  const timer = setInterval(tick, INTERVAL_MS);
  return () => clearInterval(timer);
}

function replacePods(kubernetes: KubernetesSimulator, deployment: Deployment) {
  const namespace = deployment.metadata.namespace ?? 'default';
  const labels = deployment.spec?.selector?.matchLabels ?? {};
  const matches = (podLabels: Record<string, string> = {}) =>
    Object.entries(labels).every(([k, v]) => podLabels[k] === v);
  for (const pod of kubernetes.list('Pod', namespace)) {
    const meta = pod.metadata as {
      name: string;
      labels?: Record<string, string>;
    };
    if (matches(meta.labels)) {
      kubernetes.remove({ kind: 'Pod', namespace, name: meta.name });
    }
  }
  const suffix = Date.now().toString(36).slice(-4);
  for (let i = 0; i < (deployment.spec?.replicas ?? 1); i++) {
    kubernetes.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${deployment.metadata.name}-${suffix}-${i}`,
        namespace,
        labels: deployment.spec?.template?.metadata?.labels ?? labels,
      },
      spec: {
        containers: (deployment.spec?.template?.spec?.containers ?? []).map(
          c => ({ name: c.name, image: c.image }),
        ),
      },
      status: { phase: 'Running', startTime: new Date().toISOString() },
    });
  }
}
