import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import { kubernetesApiRef } from '@backstage/plugin-kubernetes-react';
import useAsync from 'react-use/esm/useAsync';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** The Kubernetes plugin shows its tab only for entities with one of these. */
function hasKubernetesTab(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_KUBERNETES_ID] ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  );
}

/**
 * `cluster/namespace`, linked to the entity's Kubernetes tab (where the target
 * Secret's workloads are shown) when the entity has one AND the Kubernetes
 * plugin knows that cluster: elsewhere (e.g. the demo's simulated cluster) the
 * tab could only say it cannot retrieve anything, so the location stays text.
 */
export function KubernetesLocationLink(props: {
  entity: Entity;
  cluster: string;
  namespace: string;
}) {
  const { entity, cluster, namespace } = props;
  const entityLink = useEntityRefLink();
  const kubernetesApi = useApiHolder().get(kubernetesApiRef);
  const known = useAsync(async () => {
    if (!kubernetesApi || !hasKubernetesTab(entity)) return false;
    const clusters = await kubernetesApi.getClusters();
    return clusters.some(c => c.name === cluster);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kubernetesApi, cluster, entity.metadata.uid, entity.metadata.name]);
  const label = `${cluster}/${namespace}`;
  if (!known.value) {
    return <span>{label}</span>;
  }
  return (
    <Link
      to={`${entityLink(entity)}/kubernetes`}
      aria-label={`Open ${label} in the Kubernetes tab`}
    >
      {label}
    </Link>
  );
}
