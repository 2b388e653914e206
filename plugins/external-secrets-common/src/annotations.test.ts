import { isExternalSecretsAvailable } from './annotations';

describe('isExternalSecretsAvailable', () => {
  it.each([
    [{ 'backstage.io/kubernetes-id': 'checkout' }, true],
    [{ 'backstage.io/kubernetes-label-selector': 'app=checkout' }, true],
    [{ 'external-secrets.io/manifests': './deploy/externalsecret.yaml' }, true],
    [{ 'backstage.io/kubernetes-namespace': 'payments' }, false],
    [{ 'backstage.io/kubernetes-id': '  ' }, false],
    [{}, false],
  ])('should decide from the annotations %j: %s', (annotations, expected) => {
    expect(isExternalSecretsAvailable({ metadata: { annotations } })).toBe(
      expected,
    );
  });

  it('should answer false for an entity without annotations', () => {
    expect(isExternalSecretsAvailable({ metadata: {} })).toBe(false);
  });
});
