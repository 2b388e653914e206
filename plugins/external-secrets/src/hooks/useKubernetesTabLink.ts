import type { Entity } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { kubernetesApiRef } from '@backstage/plugin-kubernetes-react';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import useAsync from 'react-use/esm/useAsync';

/** The Kubernetes plugin shows its tab only for entities with one of these. */
function hasKubernetesTab(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_KUBERNETES_ID] ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  );
}

/**
 * The entity's Kubernetes tab, where the Kubernetes plugin shows the
 * workloads and pods of `cluster`; undefined unless that tab would show them:
 * the plugin is installed (its API is there, in either frontend system), the
 * entity carries its annotations, and the plugin knows the cluster (elsewhere,
 * e.g. the demo's simulated cluster, the tab could only say it cannot
 * retrieve anything). Callers show plain text then, never a broken link.
 */
export function useKubernetesTabLink(
  entity: Entity,
  cluster: string,
): string | undefined {
  const entityLink = useEntityRefLink();
  const kubernetesApi = useApiHolder().get(kubernetesApiRef);
  const known = useAsync(async () => {
    if (!kubernetesApi || !hasKubernetesTab(entity)) return false;
    const clusters = await kubernetesApi.getClusters();
    return clusters.some(c => c.name === cluster);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kubernetesApi, cluster, entity.metadata.uid, entity.metadata.name]);
  return known.value ? `${entityLink(entity)}/kubernetes` : undefined;
}
