import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import { appTreeApiRef } from '@backstage/frontend-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** The Kubernetes plugin's entity tab (new frontend system extension id). */
const KUBERNETES_CONTENT = 'entity-content:kubernetes/kubernetes';

/**
 * True when the Kubernetes plugin's entity tab is installed in this app. An
 * app on the legacy frontend system has no app tree: there the tab is assumed
 * present when the entity carries the Kubernetes plugin's annotations.
 */
function useKubernetesTabInstalled(): boolean {
  const appTree = useApiHolder().get(appTreeApiRef);
  if (!appTree) return true;
  const node = appTree.getTree().tree.nodes.get(KUBERNETES_CONTENT);
  return Boolean(node?.instance);
}

function hasKubernetesAnnotations(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_KUBERNETES_ID] ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  );
}

/**
 * `Deployment web`, linked to the entity's Kubernetes tab (where the
 * Kubernetes plugin shows the workload and its pods) when that plugin is
 * installed and the entity has its tab.
 */
export function WorkloadLink(props: {
  entity: Entity;
  kind: string;
  name: string;
}) {
  const { entity, kind, name } = props;
  const entityLink = useEntityRefLink();
  const installed = useKubernetesTabInstalled();
  const label = `${kind} ${name}`;
  if (!installed || !hasKubernetesAnnotations(entity)) {
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
