import type { JsonObject } from '@backstage/types';
import type { StoredObject } from '../testUtils/kubernetes';

/**
 * What the playground (`externalSecrets.playground: true`) puts in its
 * simulated cluster and config: one ESO `fake` store with sample values and
 * one ExternalSecret reading it. Sample values only; nothing here is real.
 */

/** Entities opt in with `backstage.io/kubernetes-id: external-secrets-playground`. */
export const PLAYGROUND_KUBERNETES_ID = 'external-secrets-playground';
export const PLAYGROUND_CLUSTER = 'playground';
export const PLAYGROUND_NAMESPACE = 'playground';
export const PLAYGROUND_STORE = 'playground-sample-store';

/** A ClusterSecretStore on ESO's `fake` provider, declared in config. */
export function playgroundStore(): JsonObject {
  return {
    kind: 'ClusterSecretStore',
    metadata: { name: PLAYGROUND_STORE },
    spec: {
      provider: {
        fake: {
          data: [
            {
              key: 'sample/database',
              value: JSON.stringify({
                username: 'sample-user',
                password: 'sample-password-not-a-secret',
              }),
            },
            { key: 'sample/api-token', value: 'sample-token-not-a-secret' },
          ],
        },
      },
    },
  };
}

/** The simulated cluster's objects: a namespace and the sample ExternalSecret. */
export function playgroundClusterObjects(): StoredObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: PLAYGROUND_NAMESPACE },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'playground-sample',
        namespace: PLAYGROUND_NAMESPACE,
        labels: { 'backstage.io/kubernetes-id': PLAYGROUND_KUBERNETES_ID },
      },
      spec: {
        refreshInterval: '1m',
        secretStoreRef: { kind: 'ClusterSecretStore', name: PLAYGROUND_STORE },
        target: { name: 'playground-sample' },
        data: [
          {
            secretKey: 'DB_USERNAME',
            remoteRef: { key: 'sample/database', property: 'username' },
          },
          {
            secretKey: 'DB_PASSWORD',
            remoteRef: { key: 'sample/database', property: 'password' },
          },
          {
            secretKey: 'API_TOKEN',
            remoteRef: { key: 'sample/api-token' },
          },
        ],
      },
    },
  ];
}
