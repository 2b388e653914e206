import { Entity } from '@backstage/catalog-model';
import {
  bindingClaims,
  bindingFromEntity,
  EntityBinding,
} from '../catalog/entityBinding';
import { BindingIndex } from './BindingIndex';

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
  };
}

const ANNOTATION_SETS: Record<string, string>[] = [
  { 'backstage.io/kubernetes-id': 'shop' },
  {
    'backstage.io/kubernetes-id': 'shop',
    'backstage.io/kubernetes-namespace': 'team-b',
  },
  {
    'backstage.io/kubernetes-id': 'cart',
    'backstage.io/kubernetes-cluster': 'prod',
  },
  { 'backstage.io/kubernetes-label-selector': 'app in (shop,cart)' },
  {
    'backstage.io/kubernetes-label-selector': 'backstage.io/kubernetes-id=cart',
  },
  { 'backstage.io/kubernetes-label-selector': 'tier=web,app!=cart' },
  { 'backstage.io/kubernetes-label-selector': 'app in (' }, // invalid: never claims
  { 'external-secrets.io/manifests': './es.yaml' }, // manifests only: never claims
];

const RESOURCES: {
  cluster: string;
  namespace: string;
  labels?: Record<string, string>;
}[] = [
  {
    cluster: 'prod',
    namespace: 'team-a',
    labels: { 'backstage.io/kubernetes-id': 'shop' },
  },
  {
    cluster: 'prod',
    namespace: 'team-b',
    labels: { 'backstage.io/kubernetes-id': 'shop' },
  },
  {
    cluster: 'dev',
    namespace: 'team-a',
    labels: { 'backstage.io/kubernetes-id': 'cart' },
  },
  {
    cluster: 'prod',
    namespace: 'team-a',
    labels: { 'backstage.io/kubernetes-id': 'cart', app: 'cart' },
  },
  { cluster: 'prod', namespace: 'team-a', labels: { app: 'shop' } },
  {
    cluster: 'prod',
    namespace: 'team-a',
    labels: { tier: 'web', app: 'shop' },
  },
  { cluster: 'prod', namespace: 'team-a', labels: {} },
  { cluster: 'prod', namespace: 'team-a' },
];

/** Many orders of a few bindings, so the claimants' order is checked whatever the order. */
function orders<T>(items: T[], seed: number): T[][] {
  const result: T[][] = [items, [...items].reverse()];
  let state = seed;
  for (let n = 0; n < 20; n++) {
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i--) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const j = state % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    result.push(shuffled);
  }
  return result;
}

describe('BindingIndex', () => {
  const bindings = ANNOTATION_SETS.map((annotations, i) => ({
    binding: bindingFromEntity(entity(`e${i}`, annotations))!,
  }));

  it.each(orders(bindings, 7).map((order, i) => [i, order]))(
    'should answer the same claimants as trying every binding in order (order %i)',
    (_i, order) => {
      const index = new BindingIndex(order);
      for (const resource of RESOURCES) {
        expect(index.claimants(resource)).toEqual(
          order.filter(({ binding }) => bindingClaims(binding, resource)),
        );
      }
    },
  );

  it('should answer every claimant, not only the first: a broad selector does not hide the team that selects by id', () => {
    const annotations: Record<string, string>[] = [
      { 'backstage.io/kubernetes-label-selector': 'team in (a,b)' },
      { 'backstage.io/kubernetes-id': 'team-b-svc' },
    ];
    const index = new BindingIndex(
      annotations.map((set, i) => ({
        binding: bindingFromEntity(entity(`e${i}`, set))!,
      })),
    );

    expect(
      index
        .claimants({
          cluster: 'prod',
          namespace: 'team-b',
          labels: { 'backstage.io/kubernetes-id': 'team-b-svc', team: 'b' },
        })
        .map(c => c.binding.entityRef),
    ).toEqual(['component:default/e0', 'component:default/e1']);
  });

  it('should find the claiming entities among thousands without trying them all', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({
      binding: bindingFromEntity(
        entity(`svc-${i}`, { 'backstage.io/kubernetes-id': `svc-${i}` }),
      )!,
    }));
    const broad = {
      binding: bindingFromEntity(
        entity('platform', {
          'backstage.io/kubernetes-label-selector': 'team=a',
        }),
      )!,
    };
    const index = new BindingIndex([...many, broad]);
    const tried = new Set<string>();
    for (const { binding } of [...many, broad]) countSelectorReads(binding);
    expect(
      index
        .claimants({
          cluster: 'prod',
          namespace: 'team-a',
          labels: { 'backstage.io/kubernetes-id': 'svc-4321', team: 'a' },
        })
        .map(c => c.binding.entityRef),
    ).toEqual(['component:default/svc-4321', 'component:default/platform']);
    expect(
      index.claimants({
        cluster: 'prod',
        namespace: 'team-a',
        labels: { app: 'x' },
      }),
    ).toEqual([]);
    // Only the id's binding and the one selector that cannot be indexed.
    expect([...tried]).toEqual([
      'component:default/svc-4321',
      'component:default/platform',
    ]);

    function countSelectorReads(binding: EntityBinding) {
      const { selector } = binding;
      Object.defineProperty(binding, 'selector', {
        get: () => {
          tried.add(binding.entityRef);
          return selector;
        },
      });
    }
  });
});
