import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DEFAULT_MANIFEST_MAX_BYTES } from '../catalog/ManifestReader';

const KEY = 'externalSecrets.manifests';

/** One allow rule: who may declare manifests into which namespaces, with which stores. */
export type ManifestRule = {
  /** `externalSecrets.manifests.clusters[i].allow[j]`, named in every refusal. */
  configKey: string;
  /** Normalized owner entity refs; absent: any owner. */
  owners?: string[];
  /** Exact names or `*` globs; `{name}` is the entity's metadata.name. */
  namespaces: string[];
  /** `name` (either kind) or `Kind/name`; absent: any store. */
  stores?: string[];
};

/** Clusters that accept entity-declared manifests, with their rules. */
export type ManifestPolicy = {
  configKey: string;
  clusters: Map<string, { configKey: string; allow: ManifestRule[] }>;
};

export type ManifestsConfig = {
  defaultCluster?: string;
  defaultNamespace?: string;
  /** Largest manifest file read, in bytes. */
  maxBytes: number;
  policy: ManifestPolicy;
};

/**
 * Reads `externalSecrets.manifests`. Entity-declared manifests are off on
 * every cluster not listed under `clusters`: an entity author is not someone
 * Kubernetes RBAC let into a namespace, so the platform team says who may.
 */
export function readManifestsConfig(
  config: Config | undefined,
): ManifestsConfig {
  const manifests = config?.getOptionalConfig('manifests');
  const maxBytes =
    manifests?.getOptionalNumber('maxBytes') ?? DEFAULT_MANIFEST_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new InputError(
      `${KEY}.maxBytes: must be a whole number of bytes of at least 1, got ${maxBytes}`,
    );
  }
  return {
    defaultCluster: manifests?.getOptionalString('defaultCluster'),
    defaultNamespace: manifests?.getOptionalString('defaultNamespace'),
    maxBytes,
    policy: readPolicy(manifests),
  };
}

function readPolicy(manifests: Config | undefined): ManifestPolicy {
  const clusters: ManifestPolicy['clusters'] = new Map();
  (manifests?.getOptionalConfigArray('clusters') ?? []).forEach(
    (cluster, i) => {
      const configKey = `${KEY}.clusters[${i}]`;
      const name = cluster.getString('name');
      if (clusters.has(name)) {
        throw new InputError(
          `${configKey}.name: cluster "${name}" is listed twice`,
        );
      }
      const allow = cluster
        .getConfigArray('allow')
        .map((rule, j) => readRule(rule, `${configKey}.allow[${j}]`));
      clusters.set(name, { configKey, allow });
    },
  );
  return { configKey: `${KEY}.clusters`, clusters };
}

function readRule(rule: Config, configKey: string): ManifestRule {
  const namespaces = rule.getStringArray('namespaces');
  if (namespaces.length === 0) {
    throw new InputError(
      `${configKey}.namespaces: list at least one namespace or pattern`,
    );
  }
  const owners = rule.getOptionalStringArray('owners')?.map((owner, k) => {
    try {
      return normalizeOwnerRef(owner, 'default');
    } catch (e) {
      throw new InputError(
        `${configKey}.owners[${k}]: ${(e as Error).message}`,
      );
    }
  });
  const stores = rule.getOptionalStringArray('stores');
  return {
    configKey,
    namespaces,
    ...(owners && { owners }),
    ...(stores && { stores }),
  };
}

/**
 * An owner reference as the catalog resolves `spec.owner`: kind Group and the
 * entity's own namespace unless written out; compared case-insensitively.
 */
export function normalizeOwnerRef(owner: string, defaultNamespace: string) {
  return stringifyEntityRef(
    parseEntityRef(owner, { defaultKind: 'group', defaultNamespace }),
  ).toLocaleLowerCase('en-US');
}
