import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useKubernetesTabLink } from '../../hooks/useKubernetesTabLink';

/**
 * `Deployment web`, linked to the entity's Kubernetes tab (where the
 * Kubernetes plugin shows the workload and its pods) when that tab can show
 * the workload's cluster; plain text otherwise, so an app without the
 * Kubernetes plugin, or one that does not know the cluster, gets no broken
 * link.
 */
export function WorkloadLink(props: {
  entity: Entity;
  cluster: string;
  kind: string;
  name: string;
}) {
  const { entity, cluster, kind, name } = props;
  const to = useKubernetesTabLink(entity, cluster);
  const label = `${kind} ${name}`;
  if (!to) {
    return <span>{label}</span>;
  }
  return (
    <Link to={to} aria-label={`Open ${label} in the Kubernetes tab`}>
      {label}
    </Link>
  );
}
