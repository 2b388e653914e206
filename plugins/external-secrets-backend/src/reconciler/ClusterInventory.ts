import {
  parseSecretStore,
  SecretStore,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterConfig } from '../kubernetes/ClusterConfig';
import { NamespaceInfo, UnparsedKubernetesObject } from '../kubernetes/types';

/** A store manifest that failed to parse, reported on the stores page. */
export type InvalidStore = {
  kind: string;
  namespace: string;
  name: string;
  issues: ValidationIssue[];
};

/**
 * What one cluster holds this cycle, read with one list per resource type (never
 * a get per object). A cluster that cannot be listed carries `error` and no
 * objects: its ExternalSecrets keep their last known state.
 */
export type ClusterInventory = {
  config: ClusterConfig;
  client: ClusterClient;
  externalSecrets: UnparsedKubernetesObject[];
  /**
   * Every ExternalSecret listed, also those a small cycle does not handle
   * (its due namespaces' lists): who else writes a shared Secret. Defaults
   * to `externalSecrets`.
   */
  listedExternalSecrets?: UnparsedKubernetesObject[];
  stores: SecretStore[];
  invalidStores: InvalidStore[];
  namespaces: Map<string, NamespaceInfo | undefined>;
  error?: Error;
};

export async function readClusterInventory(
  config: ClusterConfig,
  client: ClusterClient,
): Promise<ClusterInventory> {
  return readInventory(config, client, () =>
    Promise.all([
      client.listExternalSecrets(),
      client.listSecretStores(),
      client.listClusterSecretStores(),
    ]),
  );
}

/**
 * The part of a cluster a small (watch-triggered) cycle needs: the due
 * ExternalSecrets (`namespace/name`) and the stores they may use, listed per
 * namespace of a due one, never across the cluster.
 */
export async function readDueInventory(
  config: ClusterConfig,
  client: ClusterClient,
  due: Set<string>,
): Promise<ClusterInventory> {
  const namespaces = [...new Set([...due].map(key => key.split('/')[0]))];
  return readInventory(config, client, async () => {
    const [perNamespace, clusterSecretStores] = await Promise.all([
      Promise.all(
        namespaces.map(namespace =>
          Promise.all([
            client.listExternalSecrets({ namespace }),
            client.listSecretStores({ namespace }),
          ]),
        ),
      ),
      client.listClusterSecretStores(),
    ]);
    return [
      perNamespace.flatMap(([externalSecrets]) => externalSecrets),
      perNamespace.flatMap(([, stores]) => stores),
      clusterSecretStores,
    ];
  }).then(inventory => {
    inventory.listedExternalSecrets = inventory.externalSecrets;
    inventory.externalSecrets = inventory.externalSecrets.filter(es =>
      due.has(`${es.metadata.namespace ?? ''}/${es.metadata.name}`),
    );
    return inventory;
  });
}

async function readInventory(
  config: ClusterConfig,
  client: ClusterClient,
  read: () => Promise<
    [
      UnparsedKubernetesObject[],
      UnparsedKubernetesObject[],
      UnparsedKubernetesObject[],
    ]
  >,
): Promise<ClusterInventory> {
  const inventory: ClusterInventory = {
    config,
    client,
    externalSecrets: [],
    stores: [],
    invalidStores: [],
    namespaces: new Map(),
  };
  try {
    const [externalSecrets, secretStores, clusterSecretStores] = await read();
    inventory.externalSecrets = externalSecrets;
    for (const raw of [...secretStores, ...clusterSecretStores]) {
      const parsed = parseSecretStore(raw);
      if (parsed.ok) inventory.stores.push(parsed.value);
      else {
        inventory.invalidStores.push({
          kind: raw.kind,
          namespace: raw.metadata.namespace ?? '',
          name: raw.metadata.name,
          issues: parsed.issues,
        });
      }
    }
  } catch (e) {
    inventory.error = e as Error;
  }
  return inventory;
}

/** Namespace labels for ClusterSecretStore selectors, read once per namespace per cycle. */
export async function loadNamespaces(
  inventory: ClusterInventory,
  names: Iterable<string>,
): Promise<void> {
  const missing = [...new Set(names)].filter(n => !inventory.namespaces.has(n));
  await Promise.all(
    missing.map(async name => {
      inventory.namespaces.set(
        name,
        await inventory.client.getNamespace(name).catch(() => undefined),
      );
    }),
  );
}
