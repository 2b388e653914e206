import { changeAffectsScope } from './changeAffectsScope';

const change = (scope: Record<string, string>) => ({
  provider: 'infisical',
  scope,
});

describe('changeAffectsScope', () => {
  const prod = { environment: 'prod' };

  it.each([
    [
      'the same environment and project',
      { environment: 'prod', projectId: 'p-1' },
      ['p-1'],
      true,
    ],
    [
      'another environment',
      { environment: 'staging', projectId: 'p-1' },
      ['p-1'],
      false,
    ],
    [
      'another project',
      { environment: 'prod', projectId: 'p-2' },
      ['p-1'],
      false,
    ],
    [
      'a project not resolved yet',
      { environment: 'prod', projectId: 'p-2' },
      [],
      true,
    ],
    [
      'a folder outside the store path',
      { environment: 'prod', projectId: 'p-1', secretPath: '/shared' },
      ['p-1'],
      true,
    ],
    [
      'a notification without an environment',
      { projectId: 'p-1' },
      ['p-1'],
      true,
    ],
  ])('should answer for %s', (_name, scope, known, expected) => {
    expect(changeAffectsScope(prod, known, change(scope))).toBe(expected);
  });
});
