import { Redactor } from '../client/Redactor';
import type { WireSecret } from '../client/wireTypes';
import { keyNamesOf } from './keyNames';
import { ScopeSnapshot } from './ScopeSnapshot';
import { collectMatches, compileNameFilter } from './snapshotMatches';
import type { ErrorContext } from './toProviderError';

const context: ErrorContext = {
  store: 'ClusterSecretStore/infisical',
  action: 'finding secrets (dataFrom.find)',
  redactor: new Redactor(),
};

function secret(
  secretKey: string,
  secretPath: string,
  hidden = false,
): WireSecret {
  return {
    secretKey,
    secretPath,
    secretValue: `value-of-${secretKey}`,
    secretValueHidden: hidden,
  };
}

const snapshot = (...secrets: WireSecret[]) =>
  ScopeSnapshot.fromWire({ secrets, imports: [] }, '/app');

describe('collectMatches', () => {
  it('returns each matching key with its value and folder', () => {
    const found = collectMatches(
      snapshot(secret('DB_USER', '/app'), secret('API', '/app')),
      entry => entry.key.startsWith('DB_'),
      context,
    );
    expect([...found.keys()]).toEqual(['DB_USER']);
    expect(found.get('DB_USER')?.value.text()).toBe('value-of-DB_USER');
    expect(found.get('DB_USER')?.path).toBe('/app');
  });

  it('refuses a key found in several folders instead of picking one', () => {
    expect(() =>
      collectMatches(
        snapshot(secret('TOKEN', '/app'), secret('TOKEN', '/app/sub')),
        () => true,
        context,
      ),
    ).toThrow(
      'the recursive read found the same key in several folders: "TOKEN" in /app and /app/sub',
    );
  });

  it('refuses a matching key whose value the identity may not read', () => {
    expect(() =>
      collectMatches(
        snapshot(secret('HIDDEN', '/app', true)),
        () => true,
        context,
      ),
    ).toThrow('the identity may list but not read the values of "HIDDEN"');
  });
});

describe('compileNameFilter', () => {
  it("matches anywhere in the key, as Go's MatchString does", () => {
    expect(compileNameFilter('DB', context)?.test('MY_DB_USER')).toBe(true);
  });

  it('names the invalid Go regular expression', () => {
    expect(() => compileNameFilter('(?=x)', context)).toThrow(
      'find.name.regexp "(?=x)" is not a valid Go regular expression',
    );
  });
});

describe('keyNamesOf', () => {
  it('names scope keys bare and others by absolute folder, without hidden ones', () => {
    const listed = ScopeSnapshot.fromWire(
      {
        secrets: [
          secret('B', '/app'),
          secret('A', '/'),
          secret('C', '/app/db'),
          secret('SECRET', '/app', true),
        ],
        imports: [],
      },
      '/',
    );
    expect(keyNamesOf(listed, '/app')).toEqual(['/A', '/app/db/C', 'B']);
  });
});
