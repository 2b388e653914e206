import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { V1ManagedFieldsEntry, V1Secret } from '@kubernetes/client-node';
import { KubeAdmin, TestObject, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import {
  KubeTestBackend,
  startKubeTestBackend,
} from './__testUtils__/startKubeTestBackend';
import { component, secretText } from './__testUtils__/fixtures';

jest.setTimeout(120_000);

/**
 * Issue #16 on a real kube-apiserver: an entity-declared manifest never adopts
 * a Secret it did not create (hole 3), and every write names the plugin's
 * field manager in metadata.managedFields (hole 12).
 */

const CLUSTER = 'kube-test-env';
const FIELD_MANAGER = 'backstage-external-secrets';
const CANARY_CERT = 'canary-k8s-hole03-tls-crt-5d1a';
const CANARY_KEY = 'canary-k8s-hole03-tls-key-5d1a';
const PROVIDER_VALUE = 'canary-k8s-hole03-provider-77e0';
const SOURCE = 'https://git.example.com/team-a/web/tree/main/';
const b64 = (text: string) => Buffer.from(text).toString('base64');

function clusterStore(name: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name },
    spec: {
      provider: {
        fake: { data: [{ key: 'TLS_CRT', value: PROVIDER_VALUE }] },
      },
    },
  };
}

function managers(entries: V1ManagedFieldsEntry[] | undefined) {
  return (entries ?? []).map(e =>
    [e.manager, e.operation, e.subresource].filter(Boolean).join(' '),
  );
}

describe('trust model on a real kube-apiserver: adoption and field manager', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let backend: KubeTestBackend | undefined;
  let ns: string;
  let store: string;

  beforeAll(() => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
  });

  beforeEach(async () => {
    ns = await admin.createNamespace('trust');
    store = uniqueName('store');
    await admin.create(clusterStore(store));
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  function manifest(target: string) {
    return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: web-tls
  namespace: ${ns}
spec:
  refreshInterval: 1ms
  secretStoreRef: { kind: ClusterSecretStore, name: ${store} }
  target: { name: ${target} }
  data:
    - secretKey: tls.crt
      remoteRef: { key: TLS_CRT }
`;
  }

  /** The plugin with one entity declaring `manifest(target)`, allowed into `ns`. */
  async function startWithManifest(target: string) {
    const reader = mockServices.urlReader.mock({
      readUrl: async (url: string) => {
        if (url !== `${SOURCE}es.yaml`) throw new Error(`unexpected ${url}`);
        return {
          buffer: async () => Buffer.from(manifest(target)),
        } as Awaited<ReturnType<UrlReaderService['readUrl']>>;
      },
    });
    backend = await startKubeTestBackend({
      env,
      entities: [
        component('web', {
          'external-secrets.io/manifests': './es.yaml',
          'backstage.io/source-location': `url:${SOURCE}`,
        }),
      ],
      config: {
        manifests: {
          clusters: [{ name: CLUSTER, allow: [{ namespaces: [ns] }] }],
        },
      },
      extraFeatures: [reader.factory],
    });
    return backend;
  }

  it('should leave a cert-manager-like TLS Secret untouched and put the rule on the card', async () => {
    const tls = await admin.create<TestObject & V1Secret>({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: {
        name: 'tls',
        namespace: ns,
        labels: { 'controller.cert-manager.io/fao': 'true' },
        annotations: { 'cert-manager.io/certificate-name': 'web' },
      },
      data: { 'tls.crt': b64(CANARY_CERT), 'tls.key': b64(CANARY_KEY) },
    });
    const b = await startWithManifest('tls');

    await b.runCycle();

    const after = await admin.secret(ns, 'tls');
    expect(after!.metadata!.resourceVersion).toBe(tls.metadata.resourceVersion);
    expect(secretText(after, 'tls.crt')).toBe(CANARY_CERT);
    expect(secretText(after, 'tls.key')).toBe(CANARY_KEY);
    expect(after!.metadata!.labels).toEqual({
      'controller.cert-manager.io/fao': 'true',
    });
    const [row] = await b.status('web');
    expect(row).toMatchObject({
      name: 'web-tls',
      state: 'Error',
      message: expect.stringContaining(
        `Secret ${ns}/tls exists and was not created by this ExternalSecret; entity-declared manifests never adopt existing Secrets`,
      ),
    });
    expect(JSON.stringify(row)).not.toContain(CANARY_CERT);
    expect(JSON.stringify(row)).not.toContain(PROVIDER_VALUE);
  });

  it(`should create the manifest's own Secret as ${FIELD_MANAGER}, marked as created by it, and keep writing it`, async () => {
    const b = await startWithManifest('web-tls');

    await b.runCycle();
    await admin.update<TestObject & V1Secret>(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'web-tls', namespace: ns },
      },
      current => ({ ...current, data: { 'tls.crt': b64('edited by hand') } }),
    );
    await b.runCycle();

    const secret = await admin.secret(ns, 'web-tls');
    expect(secretText(secret, 'tls.crt')).toBe(PROVIDER_VALUE);
    expect(secret!.metadata!.labels).toMatchObject({
      'reconcile.external-secrets.io/managed': 'true',
      'reconcile.external-secrets.io/created-by':
        expect.stringMatching(/^[0-9a-f]{56}$/),
    });
    // A target Secret is written as its ExternalSecret's own field manager,
    // as ESO writes it (fqdnFor, pkg/controllers/externalsecret/util.go).
    expect(managers(secret!.metadata!.managedFields)).toContain(
      'externalsecrets.external-secrets.io/web-tls Update',
    );
    expect((await b.status('web'))[0]).toMatchObject({ state: 'Synced' });
  });

  it(`should write an ExternalSecret CR's Secret as its own field manager (ESO's name) and its status as ${FIELD_MANAGER}, never as node-fetch`, async () => {
    const app = uniqueName('app');
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'db',
        namespace: ns,
        labels: { 'backstage.io/kubernetes-id': app },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: store },
        target: { name: 'db' },
        data: [{ secretKey: 'crt', remoteRef: { key: 'TLS_CRT' } }],
      },
    });
    backend = await startKubeTestBackend({
      env,
      entities: [component('db-app', { 'backstage.io/kubernetes-id': app })],
    });

    await backend.runCycle();

    const secret = await admin.secret(ns, 'db');
    const es = await admin.read({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: ns },
    });
    // The test's admin created the ExternalSecret (as node-fetch); everything
    // the plugin wrote carries a name: the Secret the ExternalSecret's own
    // (ESO's fqdnFor), so managedFields say which ExternalSecret wrote it.
    expect(managers(secret!.metadata!.managedFields)).toEqual([
      'externalsecrets.external-secrets.io/db Update',
    ]);
    const esFields = (es.metadata as { managedFields?: V1ManagedFieldsEntry[] })
      .managedFields;
    expect(managers(esFields).filter(m => m.endsWith(' status'))).toEqual([
      `${FIELD_MANAGER} Update status`,
    ]);
  });
});
