import type { Entity } from '@backstage/catalog-model';
import { CodeSnippet } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
  ANNOTATION_KUBERNETES_ID,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

function exampleExternalSecret(entityName: string): string {
  return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: ${entityName}-secrets
  labels:
    ${ANNOTATION_KUBERNETES_ID}: ${entityName}
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: infisical
  target:
    name: ${entityName}-secrets
  data:
    - secretKey: DB_PASSWORD
      remoteRef:
        key: /${entityName}/db
        property: password
`;
}

function exampleManifestsAnnotation(): string {
  return `metadata:
  annotations:
    ${ANNOTATION_EXTERNAL_SECRETS_MANIFESTS}: ./deploy/external-secret.yaml
`;
}

/**
 * What to add when the entity is not tied to any ExternalSecret: the
 * Kubernetes plugin's id annotation plus a matching label on the
 * ExternalSecret, or a list of manifests kept next to the entity.
 */
export function MissingExternalSecretsState(props: { entity: Entity }) {
  const name = props.entity.metadata.name;
  return (
    <Box>
      <MissingAnnotationEmptyState annotation={ANNOTATION_KUBERNETES_ID} />
      <Box mt={2}>
        <Typography variant="body1" paragraph>
          Then label each ExternalSecret of this {props.entity.kind} with the
          same value, for example:
        </Typography>
        <CodeSnippet
          text={exampleExternalSecret(name)}
          language="yaml"
          showCopyCodeButton
        />
        <Typography variant="body1" paragraph>
          Or, to declare ExternalSecret manifests kept with the entity's source
          instead of reading them from a cluster, list them in the{' '}
          <code>{ANNOTATION_EXTERNAL_SECRETS_MANIFESTS}</code> annotation (comma
          or newline separated, relative to the entity's location):
        </Typography>
        <CodeSnippet
          text={exampleManifestsAnnotation()}
          language="yaml"
          showCopyCodeButton
        />
      </Box>
    </Box>
  );
}
