import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  type SetupDto,
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
 * The backend has no usable cluster: nothing can ever be found, so the
 * annotations are not the thing to check.
 */
function NoClusterConfigured(props: { entity: Entity }) {
  return (
    <Alert severity="warning">
      <AlertTitle>No cluster is configured</AlertTitle>
      The External Secrets backend has no usable cluster, so nothing can be
      found or synced for {lookedFor(props.entity).join('; ')}. Configure one in
      app-config.yaml under <code>externalSecrets.clusters</code> (or{' '}
      <code>externalSecrets.kubeconfig</code>, or the Kubernetes plugin&apos;s{' '}
      <code>kubernetes.clusterLocatorMethods</code>); the backend log names any
      cluster it could not use. For a first look without a cluster, set{' '}
      <code>externalSecrets.playground: true</code> (a simulated cluster with
      sample values, refused in production).
    </Alert>
  );
}

/**
 * The entity IS annotated, but the backend has not found (or not yet read)
 * any ExternalSecret for it: distinct from the missing-annotation state.
 */
export function NoExternalSecretsFound(props: {
  entity: Entity;
  /** From the status response; absent from older backends. */
  setup?: SetupDto;
}) {
  if (props.setup?.clusters === 0) {
    return <NoClusterConfigured entity={props.entity} />;
  }
  return (
    <Alert severity="info">
      <AlertTitle>No ExternalSecrets found for this entity yet</AlertTitle>
      Looked for {lookedFor(props.entity).join('; ')}. Clusters and manifests
      are read on a schedule, so a new ExternalSecret shows up after the next
      cycle; if it does not, check its labels, namespace and cluster.
    </Alert>
  );
}
