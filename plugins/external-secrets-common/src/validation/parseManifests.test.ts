import { parseManifests } from './parseManifests';

const SECRET_STORE = `apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: demo, namespace: team-a}
spec:
  provider:
    fake: {data: [{key: K, value: v}]}`;

const EXTERNAL_SECRET = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: app, namespace: team-a}
spec:
  secretStoreRef: {name: demo}
  data: [{secretKey: k, remoteRef: {key: K}}]`;

describe('parseManifests', () => {
  it('should dispatch each document by kind, keeping its position', () => {
    const text = [
      EXTERNAL_SECRET,
      SECRET_STORE,
      SECRET_STORE.replace('kind: SecretStore', 'kind: ClusterSecretStore'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}',
      '# only a comment',
      EXTERNAL_SECRET.replace('name: app', 'name: second'),
    ].join('\n---\n');

    const parsed = parseManifests(text);

    expect(parsed.map(p => [p.index, p.kind, p.result.ok])).toEqual([
      [0, 'ExternalSecret', true],
      [1, 'SecretStore', true],
      [2, 'ClusterSecretStore', true],
      [3, 'Other', false],
      [5, 'ExternalSecret', true],
    ]);
    expect(parsed[3]).toEqual({
      index: 3,
      kind: 'Other',
      manifestKind: 'ConfigMap',
      result: {
        ok: false,
        issues: [
          {
            severity: 'error',
            path: 'kind',
            message:
              'kind "ConfigMap": must be ExternalSecret, SecretStore or ClusterSecretStore',
          },
        ],
      },
    });
  });

  it('should report malformed YAML with its line and column and still parse the other documents', () => {
    const text = `${EXTERNAL_SECRET}\n---\nkind: ExternalSecret\nspec: {data: [}\n---\n${SECRET_STORE}`;

    const parsed = parseManifests(text);

    expect(parsed.map(p => p.result.ok)).toEqual([true, false, true]);
    expect(parsed[1].result.issues).toEqual([
      {
        severity: 'error',
        path: '(root)',
        message:
          '(root): invalid YAML at line 9, column 15: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });

  it.each([
    [
      'just text',
      '(root) "just text": must be an object (a Kubernetes manifest)',
    ],
    ['apiVersion: v1\nmetadata: {name: x}', 'kind: is required'],
  ])('should report %j as a document it cannot dispatch', (text, expected) => {
    const [parsed] = parseManifests(text);

    expect(parsed.kind).toBe('Other');
    expect(parsed.result.issues.map(i => i.message)).toEqual([expected]);
  });

  it('should return nothing for empty text', () => {
    expect(parseManifests('')).toEqual([]);
  });

  it('should carry the validation issues of each manifest', () => {
    const [parsed] = parseManifests(
      EXTERNAL_SECRET.replace('secretKey: k', 'secretKey: "a b"'),
    );

    expect(parsed.result.issues.map(i => i.message)).toEqual([
      'spec.data[0].secretKey "a b": must match ^[-._a-zA-Z0-9]+$',
    ]);
  });
});
