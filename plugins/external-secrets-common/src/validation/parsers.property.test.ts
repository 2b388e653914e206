import fc from 'fast-check';
import { ParseResult } from '../types/validation';
import { guardedParse, isCrashIssue } from './guardedParse';
import { parseExternalSecret } from './parseExternalSecret';
import { parseManifests } from './parseManifests';
import { parseSecretStore } from './parseSecretStore';

const PARSERS = [
  ['parseExternalSecret', parseExternalSecret],
  ['parseSecretStore', parseSecretStore],
] as const;

/**
 * The contract every result keeps: no crash (guardedParse turns a throw into
 * an issue, so "never throws" is checked here), well-formed issues, and a
 * failure always says where.
 */
function isWellFormed(result: ParseResult<unknown>): boolean {
  if (result.issues.some(isCrashIssue)) return false;
  const issuesNamePaths = result.issues.every(
    issue =>
      issue.path !== '' &&
      (issue.message.startsWith(issue.path) ||
        issue.message.startsWith(`unsupported: ${issue.path}`)),
  );
  return issuesNamePaths && (result.ok || result.issues.length > 0);
}

/** Manifest-shaped values: right header, arbitrary everything else. */
const manifestLike = fc.record({
  apiVersion: fc.constantFrom(
    'external-secrets.io/v1',
    'external-secrets.io/v1beta1',
    'v1',
  ),
  kind: fc.constantFrom('ExternalSecret', 'SecretStore', 'ClusterSecretStore'),
  metadata: fc.oneof(fc.record({ name: fc.string() }), fc.anything()),
  spec: fc.oneof(
    fc.record({
      secretStoreRef: fc.anything(),
      target: fc.anything(),
      data: fc.array(fc.anything()),
      dataFrom: fc.array(fc.anything()),
      provider: fc.dictionary(
        fc.constantFrom('infisical', 'fake', 'aws'),
        fc.anything(),
      ),
    }),
    fc.anything(),
  ),
});

describe.each(PARSERS)('%s', (_name, parse) => {
  const holds = (value: unknown) => isWellFormed(parse(value));

  it.each([
    ['arbitrary JSON values', fc.jsonValue()],
    [
      'arbitrary JavaScript values',
      fc.anything({
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withMap: true,
      }),
    ],
    ['manifest-shaped values with arbitrary contents', manifestLike],
    ['arbitrary strings, including unicode', fc.string({ unit: 'binary' })],
    ['arbitrary JSON text', fc.json()],
  ] as const)(
    'should never throw on %s, and explain every failure with a path',
    (_kind, values: fc.Arbitrary<unknown>) => {
      expect(() => fc.assert(fc.property(values, holds))).not.toThrow();
    },
  );
});

describe('parseManifests', () => {
  it('should never throw on arbitrary strings, and explain every failure with a path', () => {
    const wellFormed = (text: string) =>
      parseManifests(text).every(manifest => isWellFormed(manifest.result));

    expect(() =>
      fc.assert(fc.property(fc.string({ unit: 'binary' }), wellFormed)),
    ).not.toThrow();
  });
});

describe('guardedParse', () => {
  it('should tell a crash from a clean rejection', () => {
    const crashed = guardedParse(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const rejected = parseExternalSecret('kind: ConfigMap');

    expect(crashed.issues.map(i => i.message)).toEqual([
      '(root): could not be validated (RangeError)',
    ]);
    expect(crashed.issues.some(isCrashIssue)).toBe(true);
    expect(isWellFormed(crashed)).toBe(false);
    expect(rejected.ok).toBe(false);
    expect(rejected.issues.some(isCrashIssue)).toBe(false);
  });
});

describe('hostile inputs', () => {
  it('should survive a very deep YAML nesting', () => {
    const result = parseExternalSecret(
      `${'['.repeat(20000)}${']'.repeat(20000)}`,
    );

    expect(result.ok).toBe(false);
    expect(result.issues[0].path).toBe('(root)');
  });

  it('should survive a YAML alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      bomb.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }

    const result = parseExternalSecret(bomb.join('\n'));

    expect(result).toEqual({
      ok: false,
      issues: [
        {
          severity: 'error',
          path: '(root)',
          message:
            '(root): invalid YAML: Excessive alias count indicates a resource exhaustion attack',
        },
      ],
    });
  });

  it('should validate a manifest with 20,000 entries and a 1 MB key', () => {
    const data = Array.from({ length: 20000 }, (_, i) => ({
      secretKey: `k${i}`,
      remoteRef: { key: `K${i}` },
    }));
    data.push({ secretKey: 'x'.repeat(1_000_000), remoteRef: { key: 'K' } });
    const manifest = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'big' },
      spec: { secretStoreRef: { name: 's' }, data },
    };

    const result = parseExternalSecret(JSON.stringify(manifest));

    expect(result.ok && result.value.dataIndexes.length).toBe(20000);
    expect(result.issues.map(i => i.message)).toEqual([
      `spec.data[20000].secretKey "${'x'.repeat(
        100,
      )}…": must be at most 253 characters`,
    ]);
  });
});
