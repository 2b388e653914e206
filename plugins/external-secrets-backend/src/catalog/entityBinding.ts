import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  LABEL_KUBERNETES_ID,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  LabelRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '../kubernetes/labelSelector';

/** How one catalog entity claims ExternalSecrets, read from its annotations. */
export type EntityBinding = {
  entityRef: string;
  /** Matches ExternalSecret CRs by their labels; absent when the entity only declares manifests. */
  selector?: LabelRequirement[];
  namespace?: string;
  cluster?: string;
  /** Manifest locations from `external-secrets.io/manifests`, as written. */
  manifestLocations: string[];
  /** A problem with the annotations, reported on the entity instead of failing the cycle. */
  error?: string;
};

/** The annotation keys the catalog query asks for (any of them). */
export const BINDING_ANNOTATIONS = [
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
];

/**
 * Reads an entity's binding, following the Kubernetes plugin: `kubernetes-id`
 * selects by the `backstage.io/kubernetes-id` label, a `kubernetes-label-selector`
 * replaces it, and the namespace/cluster annotations narrow both.
 */
export function bindingFromEntity(entity: Entity): EntityBinding | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[ANNOTATION_KUBERNETES_ID]?.trim();
  const selectorText =
    annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim();
  const manifestLocations = splitLocations(
    annotations[ANNOTATION_EXTERNAL_SECRETS_MANIFESTS] ?? '',
  );
  if (!id && !selectorText && manifestLocations.length === 0) return undefined;

  const binding: EntityBinding = {
    entityRef: stringifyEntityRef(entity),
    namespace:
      annotations[ANNOTATION_KUBERNETES_NAMESPACE]?.trim() || undefined,
    cluster: annotations[ANNOTATION_KUBERNETES_CLUSTER]?.trim() || undefined,
    manifestLocations,
  };
  try {
    if (selectorText) binding.selector = parseLabelSelector(selectorText);
    else if (id)
      binding.selector = [
        { key: LABEL_KUBERNETES_ID, operator: 'equals', value: id },
      ];
  } catch (e) {
    binding.error = `annotation ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}: ${
      (e as Error).message
    }`;
  }
  return binding;
}

/** Whether an ExternalSecret CR found in a cluster belongs to the entity. */
export function bindingClaims(
  binding: EntityBinding,
  resource: {
    cluster: string;
    namespace: string;
    labels?: Record<string, string>;
  },
): boolean {
  if (!binding.selector || binding.selector.length === 0) return false;
  if (binding.cluster && binding.cluster !== resource.cluster) return false;
  if (binding.namespace && binding.namespace !== resource.namespace)
    return false;
  return matchesLabelSelector(resource.labels, binding.selector);
}

function splitLocations(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map(location => location.trim())
    .filter(location => location.length > 0);
}
