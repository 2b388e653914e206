import {
  compileGoRegExp,
  ClusterSecretStoreCondition,
  SecretStore,
  SecretStoreRef,
} from '@internal/backstage-plugin-external-secrets-common';
import { SecretsProvider } from '@internal/backstage-plugin-external-secrets-node';
import {
  LabelRequirement,
  matchesLabelSelector,
} from '../kubernetes/labelSelector';
import { ProviderRegistry } from './ProviderRegistry';
import { readsCredentialsPerNamespace, storeClientKey } from './storeClientKey';

/** A store an ExternalSecret may use, with its provider. */
export type ResolvedStore = {
  store: SecretStore;
  provider: SecretsProvider;
  origin: 'cluster' | 'config';
  /** Identity of the store within the cycle (with the credentials' namespace where that varies): one client per key. */
  key: string;
  /** `Kind/name` as the reconcile core keys store readiness. */
  refKey: string;
};

export type StoreResolution =
  | { ok: true; resolved: ResolvedStore }
  | { ok: false; message: string };

/** Stores known for one cluster this cycle. */
export type StoreCatalog = {
  cluster: string;
  /** Stores found in the cluster (already parsed and valid). */
  clusterStores: SecretStore[];
  /** Stores declared in app-config (already parsed and valid). */
  configStores: SecretStore[];
  /** Labels of the cluster's namespaces, for ClusterSecretStore namespaceSelector. */
  namespaceLabels: (namespace: string) => Record<string, string> | undefined;
};

/**
 * Finds the store an ExternalSecret names, as ESO does: a SecretStore in the
 * ExternalSecret's namespace, or a ClusterSecretStore whose `spec.conditions`
 * admit that namespace. Stores in the cluster win over app-config stores of the
 * same name. Every refusal says which store and why.
 */
export function resolveStore(
  ref: SecretStoreRef,
  namespace: string,
  catalog: StoreCatalog,
  providers: ProviderRegistry,
): StoreResolution {
  const candidates = [
    ...catalog.clusterStores.map(store => ({
      store,
      origin: 'cluster' as const,
    })),
    ...catalog.configStores.map(store => ({
      store,
      origin: 'config' as const,
    })),
  ];
  const found = candidates.find(
    ({ store }) =>
      store.kind === ref.kind &&
      store.metadata.name === ref.name &&
      (ref.kind === 'ClusterSecretStore' ||
        (store.metadata.namespace ?? '') === namespace),
  );
  const label =
    ref.kind === 'SecretStore'
      ? `SecretStore ${namespace}/${ref.name}`
      : `ClusterSecretStore ${ref.name}`;
  if (!found) {
    return {
      ok: false,
      message: `${label} not found in cluster ${catalog.cluster} nor in app-config externalSecrets.stores`,
    };
  }
  if (ref.kind === 'ClusterSecretStore') {
    const refusal = checkConditions(
      found.store.spec.conditions,
      namespace,
      catalog,
    );
    if (refusal) return { ok: false, message: `${label} ${refusal}` };
  }
  const providerName = Object.keys(found.store.spec.provider).find(
    name => found.store.spec.provider[name] !== undefined,
  );
  const provider = providerName ? providers.get(providerName) : undefined;
  if (!provider) {
    return {
      ok: false,
      message: `${label} uses provider "${
        providerName ?? '(none)'
      }", which is not installed (installed: ${
        providers.names().join(', ') || 'none'
      })`,
    };
  }
  return {
    ok: true,
    resolved: {
      store: found.store,
      provider,
      origin: found.origin,
      key: storeClientKey({
        cluster: catalog.cluster,
        origin: found.origin,
        kind: ref.kind,
        namespace,
        name: ref.name,
        credentialNamespace: readsCredentialsPerNamespace(found.store)
          ? namespace
          : undefined,
      }),
      refKey: `${ref.kind}/${ref.name}`,
    },
  };
}

/** ESO: a namespace may use the store when ANY condition admits it (or there are none). */
function checkConditions(
  conditions: ClusterSecretStoreCondition[] | undefined,
  namespace: string,
  catalog: StoreCatalog,
): string | undefined {
  if (!conditions || conditions.length === 0) return undefined;
  const admitted = conditions.some(condition =>
    admits(condition, namespace, catalog),
  );
  return admitted
    ? undefined
    : `does not admit namespace "${namespace}" (spec.conditions)`;
}

function admits(
  condition: ClusterSecretStoreCondition,
  namespace: string,
  catalog: StoreCatalog,
): boolean {
  if (condition.namespaces?.includes(namespace)) return true;
  if (
    condition.namespaceRegexes?.some(source =>
      matchesGoRegExp(source, namespace),
    )
  ) {
    return true;
  }
  const selector = condition.namespaceSelector;
  if (selector) {
    const labels = catalog.namespaceLabels(namespace);
    if (
      labels &&
      matchesLabelSelector(labels, namespaceRequirements(selector))
    ) {
      return true;
    }
  }
  return false;
}

const EXPRESSION_OPERATORS: Record<string, LabelRequirement['operator']> = {
  In: 'in',
  NotIn: 'notIn',
  Exists: 'exists',
  DoesNotExist: 'notExists',
};

/** A Kubernetes LabelSelector object (`matchLabels`, `matchExpressions`) as requirements. */
function namespaceRequirements(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}): LabelRequirement[] {
  const requirements: LabelRequirement[] = Object.entries(
    selector.matchLabels ?? {},
  ).map(([key, value]) => ({ key, operator: 'equals', value }));
  for (const raw of selector.matchExpressions ?? []) {
    const expression = raw as {
      key: string;
      operator: string;
      values?: string[];
    };
    const operator = EXPRESSION_OPERATORS[expression.operator];
    // An operator Kubernetes does not know matches nothing, as the apiserver would reject it.
    if (!operator) return [{ key: expression.key, operator: 'in', values: [] }];
    if (operator === 'in' || operator === 'notIn') {
      requirements.push({
        key: expression.key,
        operator,
        values: expression.values ?? [],
      });
    } else if (operator === 'exists' || operator === 'notExists') {
      requirements.push({ key: expression.key, operator });
    }
  }
  return requirements;
}

/** Go (RE2) semantics, as ESO matches namespaceRegexes; an invalid one matches nothing. */
function matchesGoRegExp(source: string, text: string): boolean {
  const compiled = compileGoRegExp(source);
  return compiled.ok && compiled.regExp.test(text);
}
