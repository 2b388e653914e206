import { Entity } from '@backstage/catalog-model';
import { bindingClaims, bindingFromEntity } from '../catalog/entityBinding';
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

/** Every order of a few bindings, so "first claimant" is checked whatever the order. */
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
    'should answer the same owner as trying every binding in order (order %i)',
    (_i, order) => {
      const index = new BindingIndex(order);
      for (const resource of RESOURCES) {
        expect(index.owner(resource)).toBe(
          order.find(({ binding }) => bindingClaims(binding, resource)),
        );
      }
    },
  );

  it('should find the claiming entity among thousands without scanning them all', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({
      binding: bindingFromEntity(
        entity(`svc-${i}`, { 'backstage.io/kubernetes-id': `svc-${i}` }),
      )!,
    }));
    const index = new BindingIndex(many);
    expect(
      index.owner({
        cluster: 'prod',
        namespace: 'team-a',
        labels: { 'backstage.io/kubernetes-id': 'svc-4321' },
      })?.binding.entityRef,
    ).toBe('component:default/svc-4321');
    expect(
      index.owner({
        cluster: 'prod',
        namespace: 'team-a',
        labels: { app: 'x' },
      }),
    ).toBeUndefined();
  });
});
