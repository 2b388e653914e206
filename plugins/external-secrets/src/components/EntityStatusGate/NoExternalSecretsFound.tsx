import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/** "labelled backstage.io/kubernetes-id=orders" and the like, from the entity's annotations. */
function lookedFor(entity: Entity): string[] {
  const annotations = entity.metadata.annotations ?? {};
  const where: string[] = [];
  if (annotations[ANNOTATION_KUBERNETES_ID]) {
    where.push(
      `ExternalSecrets labelled ${ANNOTATION_KUBERNETES_ID}=${annotations[ANNOTATION_KUBERNETES_ID]}`,
    );
  }
  if (annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]) {
    where.push(
      `ExternalSecrets matching ${annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]}`,
    );
  }
  if (annotations[ANNOTATION_EXTERNAL_SECRETS_MANIFESTS]) {
    where.push(
      `manifests at ${annotations[ANNOTATION_EXTERNAL_SECRETS_MANIFESTS]}`,
    );
  }
  return where;
}

/**
 * The entity IS annotated, but the backend has not found (or not yet read)
 * any ExternalSecret for it: distinct from the missing-annotation state.
 */
export function NoExternalSecretsFound(props: { entity: Entity }) {
  return (
    <Alert severity="info">
      <AlertTitle>No ExternalSecrets found for this entity yet</AlertTitle>
      Looked for {lookedFor(props.entity).join('; ')}. Clusters and manifests
      are read on a schedule, so a new ExternalSecret shows up after the next
      cycle; if it does not, check its labels, namespace and cluster.
    </Alert>
  );
}
