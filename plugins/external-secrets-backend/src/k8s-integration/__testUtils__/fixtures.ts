import { Entity } from '@backstage/catalog-model';
import { ExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { V1Secret } from '@kubernetes/client-node';
import { TestObject } from './KubeAdmin';

/** An ExternalSecret as the apiserver returns it. */
export type ExternalSecretObject = TestObject &
  Pick<ExternalSecret, 'spec' | 'status'>;

/** One key of a Secret, decoded (empty when absent). */
export const secretText = (secret: V1Secret | undefined, key: string) =>
  Buffer.from(secret?.data?.[key] ?? '', 'base64').toString();

/** A team-a Component; by default it selects ExternalSecrets labelled with its own kubernetes-id. */
export function component(
  name: string,
  annotations: Record<string, string> = { 'backstage.io/kubernetes-id': name },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}
