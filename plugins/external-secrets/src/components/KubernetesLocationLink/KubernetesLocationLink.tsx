import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
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
 * Secret's workloads are shown) when the entity has one.
 */
export function KubernetesLocationLink(props: {
  entity: Entity;
  cluster: string;
  namespace: string;
}) {
  const { entity, cluster, namespace } = props;
  const entityLink = useEntityRefLink();
  const label = `${cluster}/${namespace}`;
  if (!hasKubernetesTab(entity)) {
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
