/**
 * The benchmark's world, as plain data both processes can build from the same
 * parameters: catalog entities, one ExternalSecret per entity with
 * `keysPerEntity` data entries, and `scopes` Infisical scopes, each served by
 * its own ClusterSecretStore (declared in app-config) with its own Universal
 * Auth machine identity.
 */

export type Workload = {
  entities: number;
  scopes: number;
  keysPerEntity: number;
  /** Secrets in each scope's folder. */
  secretsPerScope: number;
  /** Entities per Kubernetes namespace. */
  entitiesPerNamespace: number;
  /** Latency the simulators add to every request. */
  latencyMs: number;
};

export type Scope = {
  index: number;
  store: string;
  project: string;
  environment: string;
  path: string;
  clientId: string;
  clientSecret: string;
  credentialsName: string;
};

const ENVIRONMENTS = ['prod', 'staging'];
const PATHS = ['/', '/shared'];
export const CREDENTIALS_NAMESPACE = 'external-secrets';
export const REFRESH_INTERVAL = '1h';

/** Scope `s`: projects of 4 scopes each (2 environments × 2 folders). */
export function scopeOf(s: number): Scope {
  const pad = String(s).padStart(2, '0');
  return {
    index: s,
    store: `bench-scope-${pad}`,
    project: `bench-project-${Math.floor(s / 4)}`,
    environment: ENVIRONMENTS[s % 2],
    path: PATHS[Math.floor(s / 2) % 2],
    clientId: `bench-client-${pad}`,
    // Not a secret: a simulator credential generated for the benchmark.
    clientSecret: `bench-client-secret-${pad}`,
    credentialsName: `infisical-bench-scope-${pad}`,
  };
}

export function scopes(w: Workload): Scope[] {
  return Array.from({ length: w.scopes }, (_, s) => scopeOf(s));
}

export function remoteKey(k: number): string {
  return `KEY_${String(k).padStart(3, '0')}`;
}

export function entityName(i: number): string {
  return `svc-${String(i).padStart(5, '0')}`;
}

export function namespaceCount(w: Workload): number {
  return Math.max(1, Math.ceil(w.entities / w.entitiesPerNamespace));
}

export function namespaceOf(i: number, w: Workload): string {
  return `team-${String(i % namespaceCount(w)).padStart(3, '0')}`;
}

/** The remote keys ExternalSecret `i` maps, in data order. */
export function keysOf(i: number, w: Workload): number[] {
  return Array.from(
    { length: w.keysPerEntity },
    (_, j) => (i + j) % w.secretsPerScope,
  );
}

/** Entity `i` claims its ExternalSecret with the Kubernetes plugin's annotation. */
export function catalogEntity(i: number) {
  const name = entityName(i);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:bench' },
  };
}

export function externalSecret(i: number, w: Workload) {
  const name = entityName(i);
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: namespaceOf(i, w),
      labels: { 'backstage.io/kubernetes-id': name },
    },
    spec: {
      refreshInterval: REFRESH_INTERVAL,
      secretStoreRef: {
        kind: 'ClusterSecretStore',
        name: scopeOf(i % w.scopes).store,
      },
      target: { name },
      data: keysOf(i, w).map((k, j) => ({
        secretKey: `key-${j}`,
        remoteRef: { key: remoteKey(k) },
      })),
    },
  };
}

/** The ExternalSecrets whose Secret changes when `remoteKey(key)` changes in scope `s`. */
export function dependents(s: number, key: number, w: Workload): number[] {
  const found: number[] = [];
  for (let i = s; i < w.entities; i += w.scopes) {
    if (keysOf(i, w).includes(key)) found.push(i);
  }
  return found;
}

/** `externalSecrets` app-config for the stores and their credentials. */
export function storesConfig(w: Workload, infisicalUrl: string) {
  const list = scopes(w);
  return {
    stores: list.map(scope => ({
      kind: 'ClusterSecretStore',
      metadata: { name: scope.store },
      spec: {
        provider: {
          infisical: {
            hostAPI: infisicalUrl,
            auth: {
              universalAuthCredentials: {
                clientId: {
                  name: scope.credentialsName,
                  key: 'clientId',
                  namespace: CREDENTIALS_NAMESPACE,
                },
                clientSecret: {
                  name: scope.credentialsName,
                  key: 'clientSecret',
                  namespace: CREDENTIALS_NAMESPACE,
                },
              },
            },
            secretsScope: {
              projectSlug: scope.project,
              environmentSlug: scope.environment,
              secretsPath: scope.path,
            },
          },
        },
      },
    })),
    credentials: list.map(scope => ({
      name: scope.credentialsName,
      namespace: CREDENTIALS_NAMESPACE,
      data: { clientId: scope.clientId, clientSecret: scope.clientSecret },
    })),
  };
}
