import { checkConditions } from './storeConditions';

// ESO (pkg/controllers/secretstore/client_manager.go, isSecretStoreValid /
// namespace conditions) matches namespaceRegexes with Go's regexp.MatchString.
describe('checkConditions namespaceRegexes (Go regexp, RE2)', () => {
  const admits = (regex: string, namespace: string) =>
    checkConditions([{ namespaceRegexes: [regex] }], namespace, {}) ===
    undefined;

  it.each([
    ['^team-(?i)prod$', 'team-PROD', true],
    ['^(?P<team>\\pL+)-dev\\z', 'päyments-dev', true],
    ['^(?P<team>\\pL+)-dev\\z', 'payments-dev-x', false],
    ['(a+)+$', `${'a'.repeat(39)}!`, false],
  ])('should match %j against namespace %j as Go does: %p', (regex, ns, ok) => {
    expect(admits(regex, ns)).toBe(ok);
  });

  it("should refuse the store with Go's reason for a regex Go refuses", () => {
    expect(
      checkConditions([{ namespaceRegexes: ['(?=x)'] }], 'team-a', {}),
    ).toContain(
      'spec.conditions[0].namespaceRegexes[0] (invalid or unsupported Perl syntax: `(?=`)',
    );
  });
});
