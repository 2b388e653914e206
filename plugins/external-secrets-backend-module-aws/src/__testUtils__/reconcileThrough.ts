import { parseExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  planReads,
  reconcileExternalSecret,
  isProviderError,
  type ReadOutcome,
  type SecretsClient,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

/** Parses an ExternalSecret manifest, failing the test on any blocking issue. */
export function externalSecret(manifest: object) {
  const parsed = parseExternalSecret(manifest);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  parsed.value.externalSecret.metadata.uid ??= 'uid-1';
  return parsed.value;
}

/**
 * Runs an ExternalSecret's planned reads through `client` CONCURRENTLY (as the
 * backend's executeReads does) and the pure core; returns the reconcile result.
 */
export async function reconcileThrough(
  client: SecretsClient,
  manifest: object,
) {
  const parsed = externalSecret(manifest);
  const outcomes = await Promise.all(
    planReads(parsed).map(async (request): Promise<[string, ReadOutcome]> => {
      try {
        if (request.operation.kind === 'get') {
          const { key, version } = request.operation;
          return [
            request.id,
            { ok: true, secret: await client.getSecret({ key, version }) },
          ];
        }
        return [
          request.id,
          {
            ok: true,
            secrets: await client.findSecrets(request.operation.find),
          },
        ];
      } catch (error) {
        if (!isProviderError(error)) throw error;
        return [request.id, { ok: false, error }];
      }
    }),
  );
  return reconcileExternalSecret({
    parsed,
    reads: new Map(outcomes),
    now: new Date('2026-12-06T12:00:00Z'),
  });
}

/** An ExternalSecret on store `store` (ClusterSecretStore) with the given spec parts. */
export function esManifest(
  store: string,
  spec: { data?: object[]; dataFrom?: object[] },
  name = 'app-secrets',
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: 'my-namespace' },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: store, kind: 'ClusterSecretStore' },
      target: { name },
      ...spec,
    },
  };
}
