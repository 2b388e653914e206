import { Entity } from '@backstage/catalog-model';
import { SecretStoreRef } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ManifestRule, normalizeOwnerRef } from '../config/readManifestPolicy';

/** What an entity-declared manifest asks for, checked against the cluster's allow rules. */
export type ManifestRequest = {
  entity: Entity;
  entityRef: string;
  namespace: string;
  /** Every store the manifest reads from (spec and per-entry sourceRef). */
  stores: SecretStoreRef[];
};

/**
 * Why the cluster's allow rules refuse the manifest, naming the rules; or
 * undefined when one rule admits its owner, namespace and every store.
 */
export function refuseByRules(
  rules: { configKey: string; allow: ManifestRule[] },
  request: ManifestRequest,
): string | undefined {
  const owner = ownerOf(request.entity);
  const forOwner = rules.allow.filter(
    rule =>
      !rule.owners || (owner !== undefined && rule.owners.includes(owner)),
  );
  const forNamespace = forOwner.filter(rule =>
    rule.namespaces.some(pattern =>
      namespaceMatches(
        pattern,
        request.namespace,
        request.entity.metadata.name,
      ),
    ),
  );
  if (forNamespace.length === 0) {
    return `namespace "${request.namespace}" is not allowed for ${
      request.entityRef
    } (owner ${owner ?? 'none'}) by ${rules.configKey}.allow: ${
      forOwner.length === 0
        ? 'no rule lists this owner'
        : `rules for this owner allow only ${forOwner
            .map(r => `${r.namespaces.join(', ')} (${shortKey(r, rules)})`)
            .join('; ')}`
    }; ask the platform team to add a rule, or declare the ExternalSecret as a CR in a namespace you may write to`;
  }
  if (
    forNamespace.some(rule => request.stores.every(s => storeAllowed(rule, s)))
  )
    return undefined;
  const store = request.stores.find(
    s => !forNamespace.some(rule => storeAllowed(rule, s)),
  );
  const what = store
    ? `store ${store.kind}/${store.name} is not allowed`
    : `stores ${request.stores
        .map(s => `${s.kind}/${s.name}`)
        .join(', ')} are not allowed together`;
  const by = forNamespace
    .map(r => `${r.configKey} (stores: ${r.stores?.join(', ') ?? 'any'})`)
    .join(', ');
  return `${what} by ${by} for namespace "${request.namespace}"`;
}

function shortKey(rule: ManifestRule, rules: { configKey: string }) {
  return rule.configKey.slice(rules.configKey.length + 1);
}

function ownerOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || owner.length === 0) return undefined;
  try {
    return normalizeOwnerRef(owner, entity.metadata.namespace ?? 'default');
  } catch {
    return undefined;
  }
}

/** `name` admits a store of that name of either kind; `Kind/name` only that kind. */
function storeAllowed(rule: ManifestRule, ref: SecretStoreRef): boolean {
  if (!rule.stores) return true;
  return rule.stores.some(
    allowed => allowed === ref.name || allowed === `${ref.kind}/${ref.name}`,
  );
}

/** Exact, or a `*` glob; `{name}` stands for the entity's metadata.name. */
export function namespaceMatches(
  pattern: string,
  namespace: string,
  entityName: string,
): boolean {
  const source = pattern
    .split('*')
    .map(part => escapeRegExp(part.split('{name}').join(entityName)))
    .join('.*');
  return new RegExp(`^${source}$`).test(namespace);
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
