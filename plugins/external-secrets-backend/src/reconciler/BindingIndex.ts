import { LABEL_KUBERNETES_ID } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { bindingClaims, EntityBinding } from '../catalog/entityBinding';

type Claimable = { binding: EntityBinding };

/**
 * Finds the entities that claim an ExternalSecret without trying every binding
 * for every ExternalSecret (N×M label matches: 12.5 million at 5,000 entities,
 * one synchronous stretch of the event loop). Bindings that select by the
 * `backstage.io/kubernetes-id` label alone, the common case, are indexed by
 * its value; the others are tried as before. Ownership is not exclusive, as in
 * the Kubernetes plugin: every binding whose selector matches claims the
 * resource. `claimants` answers exactly
 * `bindings.filter(b => bindingClaims(b.binding, resource))`, in the given order.
 */
export class BindingIndex<T extends Claimable> {
  private readonly byId = new Map<string, number[]>();
  private readonly others: number[] = [];

  constructor(private readonly bindings: T[]) {
    bindings.forEach(({ binding }, position) => {
      const id = kubernetesIdOnly(binding);
      if (id === undefined) {
        this.others.push(position);
        return;
      }
      const positions = this.byId.get(id);
      if (positions) positions.push(position);
      else this.byId.set(id, [position]);
    });
  }

  /** Every binding that claims the resource, in the given order. */
  claimants(resource: Parameters<typeof bindingClaims>[1]): T[] {
    const id = resource.labels?.[LABEL_KUBERNETES_ID];
    // Only bindings selecting this id value, or not indexable, can claim it.
    const indexed = (id !== undefined && this.byId.get(id)) || [];
    const { others } = this;
    const found: T[] = [];
    let i = 0;
    let j = 0;
    while (i < indexed.length || j < others.length) {
      const takeIndexed =
        j >= others.length || (i < indexed.length && indexed[i] < others[j]);
      const position = takeIndexed ? indexed[i++] : others[j++];
      const candidate = this.bindings[position];
      if (bindingClaims(candidate.binding, resource)) found.push(candidate);
    }
    return found;
  }
}

/** The label value of a selector that is exactly `backstage.io/kubernetes-id=<value>`. */
function kubernetesIdOnly(binding: EntityBinding): string | undefined {
  const selector = binding.selector;
  if (!selector || selector.length !== 1) return undefined;
  const [requirement] = selector;
  return requirement.key === LABEL_KUBERNETES_ID &&
    requirement.operator === 'equals'
    ? requirement.value
    : undefined;
}
