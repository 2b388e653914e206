import {
  ClusterSecretStoreCondition,
  compileGoRegExp,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  isValidLabelKey,
  isValidLabelValue,
  LabelRequirement,
  matchesLabelSelector,
} from '../kubernetes/labelSelector';

/** The label the apiserver sets on every namespace, equal to its name (immutable). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

type LabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
};

/**
 * Whether a ClusterSecretStore's `spec.conditions` let an ExternalSecret in
 * `namespace` use it: undefined when they do, else why not (to follow the
 * store's label). A port of ESO's `Manager.shouldProcessSecret` in
 * pkg/controllers/secretstore/client_manager.go (v2.x):
 *
 * - no conditions: allowed;
 * - the namespace is read first; if it cannot be, the store is refused;
 * - conditions in order, ANY admits: first the `namespaceSelector`, then each of
 *   `namespaces` as a selector on the `kubernetes.io/metadata.name` label,
 *   then each of `namespaceRegexes` (Go regexp, unanchored `MatchString`);
 * - a selector `metav1.LabelSelectorAsSelector` rejects, or a regex that does
 *   not compile, refuses the store at that point (ESO returns the error),
 *   even if a later condition would admit.
 *
 * `namespaceLabels` is undefined for a namespace that does not exist or
 * could not be read.
 */
export function checkConditions(
  conditions: ClusterSecretStoreCondition[] | undefined,
  namespace: string,
  namespaceLabels: Record<string, string> | undefined,
): string | undefined {
  if (!conditions || conditions.length === 0) return undefined;
  if (!namespaceLabels) {
    return `has spec.conditions, and namespace "${namespace}" could not be read to check them (it does not exist, or the plugin may not get namespaces); ESO refuses the store then too`;
  }
  // The apiserver keeps this label equal to the name; simulators may omit it.
  const labels = { ...namespaceLabels, [NAMESPACE_NAME_LABEL]: namespace };
  for (const [i, condition] of conditions.entries()) {
    const selectors: [string, LabelSelector][] = [];
    if (condition.namespaceSelector) {
      selectors.push([
        `spec.conditions[${i}].namespaceSelector`,
        condition.namespaceSelector,
      ]);
    }
    (condition.namespaces ?? []).forEach((name, j) =>
      selectors.push([
        `spec.conditions[${i}].namespaces[${j}]`,
        { matchLabels: { [NAMESPACE_NAME_LABEL]: name } },
      ]),
    );
    for (const [field, selector] of selectors) {
      const requirements = selectorRequirements(selector);
      if (typeof requirements === 'string') {
        return `has an invalid ${field} (${requirements}); ESO refuses the store in every namespace it reaches this condition for`;
      }
      if (matchesLabelSelector(labels, requirements)) return undefined;
    }
    for (const [j, source] of (condition.namespaceRegexes ?? []).entries()) {
      const compiled = compileGoRegExp(source);
      if (!compiled.ok) {
        return `has an invalid spec.conditions[${i}].namespaceRegexes[${j}] (${compiled.reason}); ESO refuses the store in every namespace it reaches this condition for`;
      }
      if (compiled.regExp.test(namespace)) return undefined;
    }
  }
  return `does not admit namespace "${namespace}" (spec.conditions)`;
}

/**
 * Whether any ClusterSecretStore has conditions: then the cycle must read the
 * namespaces of its ExternalSecrets, as ESO does.
 */
export function storesNeedNamespaces(
  stores: { kind: string; spec: { conditions?: unknown[] } }[],
): boolean {
  return stores.some(
    s =>
      s.kind === 'ClusterSecretStore' && (s.spec.conditions?.length ?? 0) > 0,
  );
}

const EXPRESSION_OPERATORS: Record<string, LabelRequirement['operator']> = {
  In: 'in',
  NotIn: 'notIn',
  Exists: 'exists',
  DoesNotExist: 'notExists',
};

/**
 * A Kubernetes LabelSelector object as requirements, or why
 * `metav1.LabelSelectorAsSelector` (k8s.io/apimachinery) would reject it. An
 * empty selector matches every namespace, as there.
 */
function selectorRequirements(
  selector: LabelSelector,
): LabelRequirement[] | string {
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!isValidLabelKey(key)) return `invalid label key "${key}"`;
    if (typeof value !== 'string' || !isValidLabelValue(value)) {
      return `invalid label value for key "${key}"`;
    }
    requirements.push({ key, operator: 'equals', value });
  }
  for (const raw of selector.matchExpressions ?? []) {
    const expression = (raw ?? {}) as {
      key?: unknown;
      operator?: unknown;
      values?: unknown;
    };
    const key = String(expression.key ?? '');
    if (!isValidLabelKey(key)) return `invalid label key "${key}"`;
    const operator = EXPRESSION_OPERATORS[String(expression.operator)];
    if (!operator) {
      return `"${String(
        expression.operator,
      )}" is not a valid label selector operator`;
    }
    const values = Array.isArray(expression.values)
      ? expression.values.map(String)
      : [];
    if (operator === 'in' || operator === 'notIn') {
      if (values.length === 0) {
        return `for 'in', 'notin' operators, values set can't be empty (key "${key}")`;
      }
      if (!values.every(isValidLabelValue)) {
        return `invalid label value for key "${key}"`;
      }
      requirements.push({ key, operator, values });
    } else {
      if (values.length > 0) {
        return `values set must be empty for exists and does not exist (key "${key}")`;
      }
      requirements.push({ key, operator: operator as 'exists' | 'notExists' });
    }
  }
  return requirements;
}
