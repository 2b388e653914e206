import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  parseExternalSecret,
  SecretStoreRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { planReads } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { createHash } from 'node:crypto';
import { parseAllDocuments, YAMLError } from 'yaml';
import { ManifestsConfig } from '../config/readManifestPolicy';
import { ClusterInventory } from '../reconciler/ClusterInventory';
import { WorkItem } from '../reconciler/WorkItem';
import { EntityBinding } from './entityBinding';
import { ManifestReader } from './ManifestReader';
import { refuseByRules } from './manifestRules';

const ANNOTATION_MANIFEST_HASH = 'external-secrets.backstage.io/manifest-hash';

export type ManifestSourceOptions = {
  manifests: ManifestsConfig;
  reader: ManifestReader;
  logger: LoggerService;
};

/**
 * Entity → the WorkItems of the ExternalSecret manifests it declares
 * (`external-secrets.io/manifests`). Off on clusters that do not enable them
 * (`externalSecrets.manifests.clusters`); there, each manifest must fit one
 * allow rule (owner, namespace, stores) or becomes an Error naming the rules,
 * and nothing of it is written.
 */
export class ManifestSource {
  constructor(private readonly options: ManifestSourceOptions) {}

  async items(
    entity: Entity,
    binding: EntityBinding,
    inventories: ClusterInventory[],
  ): Promise<WorkItem[]> {
    const { manifests, reader, logger } = this.options;
    const inventory = this.clusterOf(binding, inventories);
    if (!inventory) return [];
    const cluster = inventory.config.name;
    const fallbackNamespace =
      binding.namespace ?? manifests.defaultNamespace ?? 'default';
    const failure = (name: string, location: string, error: string) =>
      manifestItem(binding, inventory, fallbackNamespace, name, {
        location,
        error,
      });

    const rules = manifests.policy.clusters.get(cluster);
    if (!rules) {
      // Nothing is read or written for a cluster that did not opt in.
      return binding.manifestLocations.map(location =>
        failure(
          location,
          location,
          `entity-declared manifests are off on cluster ${cluster}: a platform admin enables them with allow rules in ${manifests.policy.configKey}; until then declare the ExternalSecret as a CR in the cluster`,
        ),
      );
    }

    const items: WorkItem[] = [];
    const texts = await reader.read(
      entity,
      binding.manifestLocations,
      manifests.maxBytes,
    );
    for (const text of texts) {
      if (!text.ok) {
        items.push(failure(text.location, text.location, text.message));
        continue;
      }
      for (const [index, raw] of readDocuments(text.text, text.location)) {
        const documentName = `${text.location}#${index}`;
        if (raw instanceof Error) {
          items.push(
            this.brokenItem(binding, inventory, rules, entity, {
              raw,
              documentName,
              location: text.location,
              fallbackNamespace,
            }),
          );
          continue;
        }
        if (raw.kind !== 'ExternalSecret') continue;
        const declared = raw.metadata?.namespace;
        if (declared !== undefined && typeof declared !== 'string') {
          items.push(
            failure(
              documentName,
              text.location,
              `manifest ${documentName}: metadata.namespace must be a string`,
            ),
          );
          continue;
        }
        const namespace = declared ?? fallbackNamespace;
        const refusal =
          namespaceMismatch(binding, text.location, declared) ??
          refuseByRules(rules, {
            entity,
            entityRef: binding.entityRef,
            namespace,
            stores: storesOf(raw),
          });
        if (refusal) {
          logger.warn(`${binding.entityRef}: ${refusal}`);
          // Named after the location, never a Kubernetes name: a refused
          // manifest cannot take the place of another ExternalSecret's record.
          items.push(
            manifestItem(binding, inventory, namespace, documentName, {
              location: text.location,
              error: `manifest ${documentName} (ExternalSecret ${namespace}/${
                raw.metadata?.name ?? '?'
              }) refused: ${refusal}`,
            }),
          );
          continue;
        }
        items.push(
          manifestItem(
            binding,
            inventory,
            namespace,
            raw.metadata?.name ?? documentName,
            {
              location: text.location,
              raw: withManifestHash(raw, namespace),
            },
          ),
        );
      }
    }
    return items;
  }

  /**
   * A document that is not valid YAML: never read nor written. It keeps the
   * name, namespace, store and mappings that did parse, so the card still
   * shows which ExternalSecret broke, but only where a valid manifest with
   * that namespace would be admitted; elsewhere it is named after its
   * location and cannot stand in for another ExternalSecret's record.
   */
  private brokenItem(
    binding: EntityBinding,
    inventory: ClusterInventory,
    rules: Parameters<typeof refuseByRules>[0],
    entity: Entity,
    doc: {
      raw: Error;
      documentName: string;
      location: string;
      fallbackNamespace: string;
    },
  ): WorkItem {
    const partial = (doc.raw as ManifestSyntaxError).partial;
    const name = partial?.metadata?.name;
    const declared = partial?.metadata?.namespace;
    const namespace =
      typeof declared === 'string' ? declared : doc.fallbackNamespace;
    const admitted =
      partial?.kind === 'ExternalSecret' &&
      typeof name === 'string' &&
      !namespaceMismatch(binding, doc.location, declared as string) &&
      !refuseByRules(rules, {
        entity,
        entityRef: binding.entityRef,
        namespace,
        stores: rawStoreRefs(partial),
      });
    return admitted
      ? manifestItem(binding, inventory, namespace, name, {
          location: doc.location,
          raw: partial,
          error: doc.raw.message,
        })
      : manifestItem(
          binding,
          inventory,
          doc.fallbackNamespace,
          doc.documentName,
          { location: doc.location, error: doc.raw.message },
        );
  }

  private clusterOf(
    binding: EntityBinding,
    inventories: ClusterInventory[],
  ): ClusterInventory | undefined {
    const { manifests, logger } = this.options;
    const clusterName =
      binding.cluster ??
      manifests.defaultCluster ??
      (inventories.length === 1 ? inventories[0].config.name : undefined);
    const inventory = inventories.find(i => i.config.name === clusterName);
    if (!inventory) {
      logger.warn(
        `${
          binding.entityRef
        }: declared ExternalSecret manifests have no cluster: set backstage.io/kubernetes-cluster or externalSecrets.manifests.defaultCluster (clusters: ${
          inventories.map(i => i.config.name).join(', ') || 'none'
        })`,
      );
    }
    return inventory;
  }
}

function manifestItem(
  binding: EntityBinding,
  inventory: ClusterInventory,
  namespace: string,
  name: string,
  rest: { location: string; raw?: unknown; error?: string },
): WorkItem {
  return {
    entityRef: binding.entityRef,
    claimants: [binding.entityRef],
    origin: 'manifest',
    inventory,
    namespace,
    name,
    raw: rest.raw,
    location: rest.location,
    ...(rest.error !== undefined && { error: rest.error }),
  };
}

function namespaceMismatch(
  binding: EntityBinding,
  location: string,
  declared: string | undefined,
): string | undefined {
  return declared && binding.namespace && declared !== binding.namespace
    ? `manifest ${location} declares namespace "${declared}" but the entity's backstage.io/kubernetes-namespace is "${binding.namespace}"`
    : undefined;
}

/** The stores the manifest would read from, as the reconciler plans its reads. */
function storesOf(raw: ManifestDocument): SecretStoreRef[] {
  const parsed = parseExternalSecret(raw);
  // An ExternalSecret that does not parse is never read nor written.
  if (!parsed.ok) return [];
  const refs = planReads(parsed.value).map(r => r.storeRef);
  const specRef = parsed.value.externalSecret.spec.secretStoreRef;
  if (specRef) refs.push(specRef);
  const unique = new Map(refs.map(ref => [`${ref.kind}/${ref.name}`, ref]));
  return [...unique.values()];
}

/** Store references written in a document that did not fully parse (names only). */
function rawStoreRefs(raw: ManifestDocument): SecretStoreRef[] {
  const spec = raw.spec as
    | { secretStoreRef?: unknown; data?: unknown; dataFrom?: unknown }
    | undefined;
  const candidates = [
    spec?.secretStoreRef,
    ...[spec?.data, spec?.dataFrom]
      .flatMap(list => (Array.isArray(list) ? list : []))
      .map(entry => entry?.sourceRef?.storeRef),
  ];
  return candidates.flatMap(ref =>
    ref && typeof ref.name === 'string'
      ? [
          {
            name: ref.name,
            kind:
              ref.kind === 'ClusterSecretStore'
                ? 'ClusterSecretStore'
                : 'SecretStore',
          } as SecretStoreRef,
        ]
      : [],
  );
}

/** A YAML syntax error, with what the parser could still read (for display only). */
export class ManifestSyntaxError extends Error {
  constructor(message: string, readonly partial?: ManifestDocument) {
    super(message);
  }
}

/**
 * A declared manifest has no generation: a hash of its spec in an in-memory
 * annotation makes any spec change show up in ESO's syncedResourceVersion, so
 * it is due at once, as a changed CR would be.
 */
export function withManifestHash(
  raw: ManifestDocument,
  namespace: string,
): ManifestDocument {
  const hash = createHash('sha256')
    .update(JSON.stringify(raw.spec ?? null))
    .digest('hex');
  const annotations = {
    ...((raw.metadata?.annotations as Record<string, string> | undefined) ??
      {}),
    [ANNOTATION_MANIFEST_HASH]: hash.slice(0, 16),
  };
  return { ...raw, metadata: { ...raw.metadata, namespace, annotations } };
}

export type ManifestDocument = {
  kind?: unknown;
  metadata?: { name?: string; namespace?: unknown; [k: string]: unknown };
  [k: string]: unknown;
};

/**
 * The documents of a manifest file; a document that is not YAML becomes an
 * Error naming it. Errors carry the YAML error code and position only: the
 * `yaml` package's messages quote the offending line, which may hold a value.
 */
export function readDocuments(
  text: string,
  location: string,
): [number, ManifestDocument | Error][] {
  return parseAllDocuments(text).map((doc, index) => {
    const prefix = `manifest ${location} document ${index}`;
    if (doc.errors.length > 0) {
      return [
        index,
        new ManifestSyntaxError(
          `${prefix}: ${describeYamlError(doc.errors)}`,
          partialDocument(doc),
        ),
      ];
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (e) {
      // e.g. an unresolved or excessive alias; its message may name content.
      return [
        index,
        new Error(
          `${prefix}: YAML could not be resolved (${
            (e as Error).name
          }); check anchors and aliases`,
        ),
      ];
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return [index, new Error(`${prefix}: not a Kubernetes object`)];
    }
    return [index, value as ManifestDocument];
  });
}

/**
 * The parser reports where the broken node STARTS, often the line above the
 * one that was edited (an over-indented line continues the key above it):
 * name the whole span the errors at that point cover.
 */
function describeYamlError(errors: YAMLError[]): string {
  const [first] = errors;
  const start = first.linePos?.[0];
  if (!start) return `YAML ${first.code}: fix the syntax`;
  const end = errors
    .filter(e => e.linePos?.[0].line === start.line)
    .map(e => e.linePos?.[1])
    .reduce((a, b) => (b && (!a || b.line > a.line) ? b : a), undefined);
  const at = `line ${start.line}, column ${start.col}`;
  const to =
    end && end.line > start.line
      ? ` to line ${end.line}, column ${end.col}`
      : '';
  return `YAML ${first.code} at ${at}${to}: fix the syntax there`;
}

/** What the parser could still read of a broken document, if it is an object. */
function partialDocument(
  doc: ReturnType<typeof parseAllDocuments>[number],
): ManifestDocument | undefined {
  try {
    const value = doc.toJS();
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as ManifestDocument)
      : undefined;
  } catch {
    return undefined;
  }
}
