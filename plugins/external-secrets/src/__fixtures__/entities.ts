import type { Entity } from '@backstage/catalog-model';

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-orders' },
  };
}

/** Tied to ExternalSecrets (and to the Kubernetes tab) by `backstage.io/kubernetes-id`. */
export const annotatedEntity = component('orders-service', {
  'backstage.io/kubernetes-id': 'orders-service',
});

/** Declares manifests only: no Kubernetes tab to link to. */
export const manifestOnlyEntity = component('billing-service', {
  'external-secrets.io/manifests': './deploy/external-secret.yaml',
});

/** Carries no annotation that ties it to ExternalSecrets. */
export const plainEntity = component('legacy-service', {});
