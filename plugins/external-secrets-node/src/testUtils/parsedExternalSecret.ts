import type {
  CreationPolicy,
  DeletionPolicy,
  ExternalSecretData,
  ExternalSecretDataFromRemoteRef,
  ExternalSecretDataRemoteRef,
  ExternalSecretExtract,
  ExternalSecretFind,
  ExternalSecretRewrite,
  ExternalSecretStatus,
  ExternalSecretTemplate,
  InvalidEntry,
  ParsedExternalSecret,
  RefreshPolicy,
  SecretStoreRef,
  StoreSourceRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** An ExternalSecret as a user writes it; `parsedExternalSecret` fills ESO's defaults. */
export type ExternalSecretFixture = {
  name?: string;
  namespace?: string;
  /** `null` for a manifest that never came from a cluster. */
  uid?: string | null;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  secretStoreRef?: { name: string; kind?: SecretStoreRef['kind'] } | null;
  target?: {
    name?: string;
    creationPolicy?: CreationPolicy;
    deletionPolicy?: DeletionPolicy;
    immutable?: boolean;
    template?: Partial<ExternalSecretTemplate>;
  };
  refreshInterval?: string;
  refreshPolicy?: RefreshPolicy;
  data?: {
    secretKey: string;
    remoteRef: Partial<ExternalSecretDataRemoteRef> & { key: string };
    sourceRef?: StoreSourceRef;
  }[];
  dataFrom?: {
    extract?: Partial<ExternalSecretExtract> & { key: string };
    find?: Partial<ExternalSecretFind>;
    rewrite?: ExternalSecretRewrite[];
    sourceRef?: StoreSourceRef;
  }[];
  status?: ExternalSecretStatus;
  invalidEntries?: InvalidEntry[];
  dataIndexes?: number[];
  dataFromIndexes?: number[];
};

export const SEED_STORE_REF: SecretStoreRef = {
  name: 'infisical-archon-platform',
  kind: 'ClusterSecretStore',
};

function dataEntry(
  entry: NonNullable<ExternalSecretFixture['data']>[number],
): ExternalSecretData {
  return {
    secretKey: entry.secretKey,
    remoteRef: { decodingStrategy: 'None', ...entry.remoteRef },
    ...(entry.sourceRef ? { sourceRef: entry.sourceRef } : {}),
  };
}

function dataFromEntry(
  entry: NonNullable<ExternalSecretFixture['dataFrom']>[number],
): ExternalSecretDataFromRemoteRef {
  return {
    ...(entry.extract
      ? { extract: { decodingStrategy: 'None', ...entry.extract } }
      : {}),
    ...(entry.find
      ? { find: { decodingStrategy: 'None', ...entry.find } }
      : {}),
    ...(entry.rewrite ? { rewrite: entry.rewrite } : {}),
    ...(entry.sourceRef ? { sourceRef: entry.sourceRef } : {}),
  };
}

/** A typed `ParsedExternalSecret` with ESO's defaults, as the common parser would return it. */
export function parsedExternalSecret(
  fixture: ExternalSecretFixture = {},
): ParsedExternalSecret {
  const name = fixture.name ?? 'my-secret';
  const data = (fixture.data ?? []).map(dataEntry);
  const dataFrom = (fixture.dataFrom ?? []).map(dataFromEntry);
  const template = fixture.target?.template;
  const storeRef =
    fixture.secretStoreRef === null
      ? undefined
      : {
          kind: 'SecretStore' as const,
          ...(fixture.secretStoreRef ?? SEED_STORE_REF),
        };
  return {
    externalSecret: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name,
        namespace: fixture.namespace ?? 'my-namespace',
        ...(fixture.uid === null ? {} : { uid: fixture.uid ?? 'es-uid-1' }),
        generation: fixture.generation ?? 1,
        ...(fixture.labels ? { labels: fixture.labels } : {}),
        ...(fixture.annotations ? { annotations: fixture.annotations } : {}),
      },
      spec: {
        ...(storeRef ? { secretStoreRef: storeRef } : {}),
        target: {
          name: fixture.target?.name ?? name,
          creationPolicy: fixture.target?.creationPolicy ?? 'Owner',
          deletionPolicy: fixture.target?.deletionPolicy ?? 'Retain',
          immutable: fixture.target?.immutable ?? false,
          ...(template
            ? {
                template: {
                  engineVersion: 'v2',
                  mergePolicy: 'Replace',
                  ...template,
                },
              }
            : {}),
        },
        refreshInterval: fixture.refreshInterval ?? '1h',
        refreshPolicy: fixture.refreshPolicy ?? 'Periodic',
        data,
        dataFrom,
      },
      ...(fixture.status ? { status: fixture.status } : {}),
    },
    dataIndexes: fixture.dataIndexes ?? data.map((_, i) => i),
    dataFromIndexes: fixture.dataFromIndexes ?? dataFrom.map((_, i) => i),
    invalidEntries: fixture.invalidEntries ?? [],
    issues: [],
  };
}
