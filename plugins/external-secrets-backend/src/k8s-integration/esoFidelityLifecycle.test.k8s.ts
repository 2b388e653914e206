import { KubeAdmin, TestObject, uniqueName } from './__testUtils__/KubeAdmin';
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
 * Issue #17 (ESO fidelity) lifecycle end to end on a real kube-apiserver:
 * renaming spec.target.name deletes the Secret owned under the old name (ESO's
 * deleteOrphanedSecrets, pkg/controllers/externalsecret/externalsecret_controller.go),
 * and an ExternalSecret deleted and recreated with the same name is a new
 * object (new metadata.uid) that syncs at once.
 */
jest.setTimeout(120_000);

describe('ESO fidelity lifecycle (issue #17) against a real kube-apiserver', () => {
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
    ns = await admin.createNamespace('life');
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
              { key: 'DB_PASSWORD', value: 'first' },
              { key: 'OTHER_PASSWORD', value: 'second' },
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

  async function start() {
    backend = await startKubeTestBackend({ env, entities: [component(app)] });
    return backend;
  }

  function externalSecret(
    name: string,
    spec: Record<string, unknown>,
  ): TestObject & { spec: Record<string, unknown> } {
    return {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name,
        namespace: ns,
        labels: { 'backstage.io/kubernetes-id': app },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: store },
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
        ...spec,
      },
    };
  }

  const header = (name: string) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: ns },
  });

  it('rename: the Secret owned under the old target.name is deleted, the new one synced', async () => {
    await admin.create(externalSecret('renamed', { target: { name: 'old' } }));
    const b = await start();
    await b.runCycle();
    expect(secretText(await admin.secret(ns, 'old'), 'password')).toBe('first');

    await admin.update<ExternalSecretObject>(header('renamed'), es => ({
      ...es,
      spec: { ...es.spec, target: { ...es.spec.target, name: 'new' } },
    }));
    await b.runCycle();

    expect(secretText(await admin.secret(ns, 'new'), 'password')).toBe('first');
    expect(await admin.secret(ns, 'old')).toBeUndefined();
    const es = await admin.read<ExternalSecretObject>(header('renamed'));
    expect(es.status?.binding).toEqual({ name: 'new' });
    expect(es.status?.conditions?.[0]).toMatchObject({ status: 'True' });
  });

  it('recreate: an ExternalSecret deleted and created again with the same name syncs at once', async () => {
    const target = { name: 'recreated', creationPolicy: 'Orphan' };
    await admin.create(externalSecret('recreated', { target }));
    const b = await start();
    await b.runCycle();
    expect(secretText(await admin.secret(ns, 'recreated'), 'password')).toBe(
      'first',
    );

    await admin.deleteIfPresent(header('recreated'));
    await admin.create(
      externalSecret('recreated', {
        target,
        data: [{ secretKey: 'password', remoteRef: { key: 'OTHER_PASSWORD' } }],
      }),
    );
    await b.runCycle();

    expect(secretText(await admin.secret(ns, 'recreated'), 'password')).toBe(
      'second',
    );
    const es = await admin.read<ExternalSecretObject>(header('recreated'));
    expect(es.status?.conditions?.[0]).toMatchObject({ status: 'True' });
  });
});
