import { Entity } from '@backstage/catalog-model';

/**
 * The reconciler scenarios' world: entity `checkout` owns the ExternalSecrets
 * labelled `backstage.io/kubernetes-id: checkout` in namespace `payments`,
 * served by the fake ClusterSecretStore `fake-store`.
 */
export const NS = 'payments';

export const CHECKOUT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

/** The fake ClusterSecretStore `fake-store`, serving `data`. */
export function fakeStore(
  data: { key: string; value: string }[] = [
    { key: 'DB_PASSWORD', value: 'pw' },
  ],
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'fake-store' },
    spec: { provider: { fake: { data } } },
  };
}

/**
 * An ExternalSecret of checkout in payments: Secret `name`, key `password`
 * from `DB_PASSWORD` of fake-store, refreshed hourly; `spec` overrides.
 */
export function checkoutExternalSecret(
  name: string,
  spec: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake-store' },
      target: { name },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      ...spec,
    },
  };
}
