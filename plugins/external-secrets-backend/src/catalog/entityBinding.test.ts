import { Entity } from '@backstage/catalog-model';
import { bindingClaims, bindingFromEntity } from './entityBinding';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout-service', namespace: 'payments', annotations },
    spec: {},
  };
}

const es = (
  labels: Record<string, string>,
  cluster = 'demo',
  namespace = 'payments',
) => ({
  cluster,
  namespace,
  labels,
});

describe('bindingFromEntity', () => {
  it('should ignore an entity without binding annotations', () => {
    expect(
      bindingFromEntity(entity({ 'backstage.io/kubernetes-namespace': 'x' })),
    ).toBeUndefined();
  });

  it('should claim ExternalSecrets labelled with the kubernetes-id', () => {
    const binding = bindingFromEntity(
      entity({ 'backstage.io/kubernetes-id': 'checkout' }),
    )!;
    expect(binding.entityRef).toBe('component:payments/checkout-service');
    expect(
      bindingClaims(binding, es({ 'backstage.io/kubernetes-id': 'checkout' })),
    ).toBe(true);
    expect(
      bindingClaims(binding, es({ 'backstage.io/kubernetes-id': 'orders' })),
    ).toBe(false);
    expect(bindingClaims(binding, es({}))).toBe(false);
  });

  it('should let a label selector replace the kubernetes-id, as the Kubernetes plugin does', () => {
    const binding = bindingFromEntity(
      entity({
        'backstage.io/kubernetes-id': 'checkout',
        'backstage.io/kubernetes-label-selector':
          'app=checkout,tier in (api,worker)',
      }),
    )!;
    expect(
      bindingClaims(binding, es({ app: 'checkout', tier: 'worker' })),
    ).toBe(true);
    expect(
      bindingClaims(binding, es({ 'backstage.io/kubernetes-id': 'checkout' })),
    ).toBe(false);
  });

  it('should narrow by the namespace and cluster annotations', () => {
    const binding = bindingFromEntity(
      entity({
        'backstage.io/kubernetes-id': 'checkout',
        'backstage.io/kubernetes-namespace': 'payments',
        'backstage.io/kubernetes-cluster': 'prod',
      }),
    )!;
    const labels = { 'backstage.io/kubernetes-id': 'checkout' };
    expect(bindingClaims(binding, es(labels, 'prod', 'payments'))).toBe(true);
    expect(bindingClaims(binding, es(labels, 'demo', 'payments'))).toBe(false);
    expect(bindingClaims(binding, es(labels, 'prod', 'default'))).toBe(false);
  });

  it('should read several manifest locations and claim no CRs with manifests alone', () => {
    const binding = bindingFromEntity(
      entity({
        'external-secrets.io/manifests':
          './deploy/es.yaml, ./deploy/db-es.yaml\n https://git.example/x.yaml',
      }),
    )!;
    expect(binding.manifestLocations).toEqual([
      './deploy/es.yaml',
      './deploy/db-es.yaml',
      'https://git.example/x.yaml',
    ]);
    expect(
      bindingClaims(binding, es({ 'backstage.io/kubernetes-id': 'checkout' })),
    ).toBe(false);
  });

  it('should report a bad label selector on the entity instead of throwing', () => {
    const binding = bindingFromEntity(
      entity({ 'backstage.io/kubernetes-label-selector': 'app=we b' }),
    )!;
    expect(binding.error).toBe(
      "annotation backstage.io/kubernetes-label-selector: unable to parse requirement: found 'b', expected: ','",
    );
    expect(bindingClaims(binding, es({ app: 'we b' }))).toBe(false);
  });
});
