import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useKubernetesTabLink } from '../../hooks/useKubernetesTabLink';

/**
 * `cluster/namespace`, linked to the entity's Kubernetes tab (where the target
 * Secret's workloads are shown) when that tab can show the cluster; plain
 * text otherwise (see useKubernetesTabLink).
 */
export function KubernetesLocationLink(props: {
  entity: Entity;
  cluster: string;
  namespace: string;
}) {
  const { entity, cluster, namespace } = props;
  const to = useKubernetesTabLink(entity, cluster);
  const label = `${cluster}/${namespace}`;
  if (!to) {
    return <span>{label}</span>;
  }
  return (
    <Link to={to} aria-label={`Open ${label} in the Kubernetes tab`}>
      {label}
    </Link>
  );
}
