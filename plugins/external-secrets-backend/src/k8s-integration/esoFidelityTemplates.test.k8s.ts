import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeAdmin, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import {
  KubeTestBackend,
  startKubeTestBackend,
} from './__testUtils__/startKubeTestBackend';
import {
  ExternalSecretObject,
  component,
  secretText,
} from './__testUtils__/fixtures';

/**
 * Issue #17 item 12 end to end on a real kube-apiserver: an ExternalSecret
 * whose template uses variables, range, sprig functions (ESO's template v2
 * FuncMap, pkg/template/v2/template.go) and templateFrom literal (ESO's
 * MergeLiteral, keysAndValues scope), and templateFrom.configMap with ESO's
 * PKCS#12 and JWK functions; a missing ConfigMap writes nothing.
 */
jest.setTimeout(120_000);

const CANARY = 'canary-k8s-templates-7d21b4';
// Made by openssl (external-secrets-node's __fixtures__/pkcs12/generate.sh);
// this package's own copies, see __fixtures__/pkcs12/README.md.
const PKCS12_FIXTURES = join(__dirname, '__fixtures__/pkcs12');

describe('ESO fidelity templates (issue #17) against a real kube-apiserver', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let backend: KubeTestBackend | undefined;
  let ns: string;
  let app: string;
  let store: string;

  beforeAll(() => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
  });

  beforeEach(async () => {
    ns = await admin.createNamespace('tpl');
    app = uniqueName('app');
    store = uniqueName('store');
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: store },
      spec: {
        provider: {
          fake: {
            data: [
              { key: 'DB_USER', value: 'app' },
              { key: 'DB_PASSWORD', value: CANARY },
              { key: 'HOSTS', value: 'db-1,db-2' },
            ],
          },
        },
      },
    });
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  function externalSecret(name: string, template: Record<string, unknown>) {
    return {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name,
        namespace: ns,
        labels: { 'backstage.io/kubernetes-id': app },
      },
      spec: {
        refreshInterval: '1ms',
        secretStoreRef: { kind: 'ClusterSecretStore', name: store },
        target: { name, template: { engineVersion: 'v2', ...template } },
        data: [
          { secretKey: 'user', remoteRef: { key: 'DB_USER' } },
          { secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } },
          { secretKey: 'hosts', remoteRef: { key: 'HOSTS' } },
        ],
      },
    };
  }

  const readExternalSecret = (name: string) =>
    admin.read<ExternalSecretObject>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: ns },
    });

  it('renders variables, range, sprig functions and templateFrom literal', async () => {
    await admin.create(
      externalSecret('templated', {
        templateFrom: [
          { literal: 'login: "{{ .user | upper }}"\nshared: from-literal' },
        ],
        data: {
          dsn: '{{ $u := .user }}{{ $hosts := splitList "," .hosts }}postgres://{{ $u }}:{{ .password }}@{{ first $hosts }}/app',
          replicas:
            '{{ range $i, $h := splitList "," .hosts }}{{ if $i }},{{ end }}{{ regexReplaceAll "^db-(\\\\d+)$" $h "r${1}" }}{{ end }}',
          config: '{{ dict "user" .user "port" 5432 | toYaml }}',
          checksum: '{{ .password | sha1sum | trunc 8 }}',
          shared: 'from-data',
        },
      }),
    );
    backend = await startKubeTestBackend({ env, entities: [component(app)] });

    await backend.runCycle();

    const secret = await admin.secret(ns, 'templated');
    expect(Object.keys(secret!.data!).sort()).toEqual([
      'checksum',
      'config',
      'dsn',
      'login',
      'replicas',
      'shared',
    ]);
    expect(secretText(secret, 'dsn')).toBe(`postgres://app:${CANARY}@db-1/app`);
    expect(secretText(secret, 'replicas')).toBe('r1,r2');
    expect(secretText(secret, 'config')).toBe('port: 5432\nuser: app');
    expect(secretText(secret, 'checksum')).toMatch(/^[0-9a-f]{8}$/);
    expect(secretText(secret, 'login')).toBe('APP');
    expect(secretText(secret, 'shared')).toBe('from-data');
    const es = await readExternalSecret('templated');
    expect(es.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'True',
        reason: 'SecretSynced',
      }),
    ]);
    const rows = await backend.status(app);
    expect(JSON.stringify([rows, es.status])).not.toContain(CANARY);
  });

  // ESO pkg/controllers/templating/parser.go MergeConfigMap (the ConfigMap
  // of the ExternalSecret's namespace) with ESO's own functions
  // (runtime/template/v2/pkcs12.go pkcs12cert, jwk.go jwkPublicKeyPem).
  it('renders a templateFrom configMap item with pkcs12 and JWK functions', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    const pkcs12 = readFileSync(join(PKCS12_FIXTURES, 'nopass.p12'));
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: `${store}-keys` },
      spec: {
        provider: {
          fake: {
            data: [
              { key: 'KEYSTORE', value: pkcs12.toString('base64') },
              { key: 'JWK', value: jwk },
            ],
          },
        },
      },
    });
    await admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tls-template', namespace: ns },
      data: {
        'tls.crt': '{{ .keystore | b64dec | pkcs12cert }}',
        'keys.yaml': 'public.pem: {{ .jwk | jwkPublicKeyPem | quote }}',
      },
    });
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'from-configmap',
        namespace: ns,
        labels: { 'backstage.io/kubernetes-id': app },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: `${store}-keys` },
        target: {
          name: 'from-configmap',
          template: {
            templateFrom: [
              {
                configMap: {
                  name: 'tls-template',
                  items: [
                    { key: 'tls.crt' },
                    { key: 'keys.yaml', templateAs: 'KeysAndValues' },
                  ],
                },
              },
            ],
          },
        },
        data: [
          { secretKey: 'keystore', remoteRef: { key: 'KEYSTORE' } },
          { secretKey: 'jwk', remoteRef: { key: 'JWK' } },
        ],
      },
    });
    backend = await startKubeTestBackend({ env, entities: [component(app)] });

    await backend.runCycle();

    const secret = await admin.secret(ns, 'from-configmap');
    expect(Object.keys(secret!.data!).sort()).toEqual([
      'public.pem',
      'tls.crt',
    ]);
    expect(secretText(secret, 'tls.crt')).toBe(
      readFileSync(join(PKCS12_FIXTURES, 'leaf.crt'), 'utf8') +
        readFileSync(join(PKCS12_FIXTURES, 'ca.crt'), 'utf8'),
    );
    expect(secretText(secret, 'public.pem')).toBe(
      createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }),
    );
    const es = await readExternalSecret('from-configmap');
    expect(es.status?.conditions?.[0]).toEqual(
      expect.objectContaining({ type: 'Ready', status: 'True' }),
    );
  });

  it('writes nothing and reports Ready=False when the templateFrom ConfigMap is missing', async () => {
    await admin.create(
      externalSecret('missing-configmap', {
        templateFrom: [
          { configMap: { name: 'tpl', items: [{ key: 'config.yaml' }] } },
        ],
      }),
    );
    backend = await startKubeTestBackend({ env, entities: [component(app)] });

    await backend.runCycle();

    expect(await admin.secret(ns, 'missing-configmap')).toBeUndefined();
    const es = await readExternalSecret('missing-configmap');
    expect(es.status?.conditions?.[0]).toEqual(
      expect.objectContaining({ type: 'Ready', status: 'False' }),
    );
    expect(es.status?.conditions?.[0]?.message).toContain(
      `ConfigMap ${ns}/tpl not found`,
    );
  });
});
