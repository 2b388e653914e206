/**
 * Entity annotations that tie catalog entities to ExternalSecrets. The first four
 * are the Kubernetes plugin's own, so one set of annotations drives both plugins.
 */

/** ExternalSecrets labelled `backstage.io/kubernetes-id=<value>` belong to the entity. @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** A label selector; ExternalSecrets whose labels match belong to the entity. @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
/** Restricts the entity's ExternalSecrets to one namespace. @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/** Restricts the entity's ExternalSecrets to one cluster (by configured name). @public */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
/**
 * ExternalSecret manifests the entity declares: one or more locations (comma or
 * newline separated), absolute URLs or paths relative to the entity's source
 * location, read with the UrlReader and reconciled into the entity's cluster and
 * namespace. @public
 */
export const ANNOTATION_EXTERNAL_SECRETS_MANIFESTS =
  'external-secrets.io/manifests';

/** The label the Kubernetes plugin uses, matched against `backstage.io/kubernetes-id`. @public */
export const LABEL_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** The part of a catalog entity this package reads. @public */
export type EntityWithAnnotations = {
  metadata: { annotations?: Record<string, string> };
};

/**
 * True when the entity carries any annotation that ties it to ExternalSecrets.
 * Use it with `EntitySwitch` / as an entity card filter.
 *
 * @public
 */
export function isExternalSecretsAvailable(
  entity: EntityWithAnnotations,
): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return [
    ANNOTATION_KUBERNETES_ID,
    ANNOTATION_KUBERNETES_LABEL_SELECTOR,
    ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
  ].some(name => Boolean(annotations[name]?.trim()));
}
