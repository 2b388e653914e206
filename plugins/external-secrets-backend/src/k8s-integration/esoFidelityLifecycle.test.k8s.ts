import { PatchStrategy } from '@kubernetes/client-node';
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
 * object (new metadata.uid) that syncs at once. A Secret is written as its
 * ExternalSecret's own field manager, named as ESO names it (fqdnFor,
 * pkg/controllers/externalsecret/util.go), so managedFields tell, whether ESO
 * or we wrote it, which labels and keys that ExternalSecret owns.
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

  // ESO's setMetadata (externalsecret_controller_template.go) deletes the
  // labels and annotations its field manager owns (templating.GetManagedLabelKeys
  // / GetManagedAnnotationKeys, from managedFields), then merges what the
  // ExternalSecret produces now: a Secret ESO wrote loses the stale ones
  // after we take it over, and keeps what another manager wrote.
  it('stale metadata: labels and annotations ESO wrote and the ExternalSecret no longer produces are removed after takeover', async () => {
    const es = await admin.create(
      externalSecret('taken', {
        target: {
          name: 'taken',
          template: { metadata: { labels: { tier: 'frontend' } } },
        },
      }),
    );
    // The Secret as ESO left it: written as ESO's field manager for "taken",
    // owned by the ExternalSecret, with labels of an earlier template.
    const eso = 'externalsecrets.external-secrets.io/taken';
    await admin.core.createNamespacedSecret({
      namespace: ns,
      fieldManager: eso,
      body: {
        metadata: {
          name: 'taken',
          namespace: ns,
          labels: {
            'reconcile.external-secrets.io/managed': 'true',
            tier: 'backend',
            team: 'payments',
          },
          annotations: { 'docs/url': 'https://docs.example.test' },
          ownerReferences: [
            {
              apiVersion: 'external-secrets.io/v1',
              kind: 'ExternalSecret',
              name: 'taken',
              uid: es.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        data: { password: Buffer.from('old').toString('base64') },
      },
    });
    // Someone else labels it too: not the ExternalSecret's to remove.
    await admin.objects.patch(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'taken',
          namespace: ns,
          labels: { 'someone/else': 'x' },
        },
      },
      undefined,
      undefined,
      'kubectl-label',
      undefined,
      PatchStrategy.MergePatch,
    );

    const b = await start();
    await b.runCycle();

    const secret = await admin.secret(ns, 'taken');
    expect(secretText(secret, 'password')).toBe('first');
    expect(secret?.metadata?.labels).toMatchObject({
      tier: 'frontend',
      'someone/else': 'x',
    });
    expect(secret?.metadata?.labels).not.toHaveProperty('team');
    expect(secret?.metadata?.annotations).not.toHaveProperty('docs/url');
    expect(secret?.metadata?.managedFields?.map(f => f.manager).sort()).toEqual(
      [eso, 'kubectl-label'],
    );
  });

  // Two creationPolicy Merge ExternalSecrets producing one key: the one
  // created first keeps it. Who wrote the key is read from the Secret's
  // managedFields (ESO's getManagedDataKeys, externalsecret_controller.go),
  // so a new process, with nothing in memory, that meets the newer writer
  // first never hands it the key, not even once.
  it("merge conflict: a fresh process meeting the newer Merge writer first keeps the older writer's key", async () => {
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'shared', namespace: ns },
      data: { other: Buffer.from('kept').toString('base64') },
    });
    const merging = (name: string, remote: string) =>
      externalSecret(name, {
        target: { name: 'shared', creationPolicy: 'Merge' },
        data: [{ secretKey: 'password', remoteRef: { key: remote } }],
      });
    await admin.create(merging('a-first', 'DB_PASSWORD'));
    await (await start()).runCycle();
    await backend!.stop();
    backend = undefined;
    expect(secretText(await admin.secret(ns, 'shared'), 'password')).toBe(
      'first',
    );

    // A restart (or another replica): a-first is not due, b-second is new.
    await admin.create(merging('b-second', 'OTHER_PASSWORD'));
    const b = await start();
    await b.runCycle();
    const afterFirst = await admin.secret(ns, 'shared');
    await b.runCycle();
    const afterSecond = await admin.secret(ns, 'shared');

    expect(secretText(afterFirst, 'password')).toBe('first');
    expect(secretText(afterFirst, 'other')).toBe('kept');
    expect(afterSecond?.metadata?.resourceVersion).toBe(
      afterFirst?.metadata?.resourceVersion,
    );
    const rows = await b.status(app);
    const key = (name: string) =>
      rows
        .find(r => r.name === name)
        ?.keys.find(k => k.secretKey === 'password');
    expect(key('b-second')).toMatchObject({
      state: 'error',
      message: expect.stringContaining(
        'ExternalSecret a-first was created first and keeps it',
      ),
    });
    expect(key('a-first')?.message).toContain('ExternalSecret b-second');
  });

  // ESO's mutationFunc (externalsecret_controller.go) deletes the data keys
  // its ExternalSecret's field manager owns (getManagedDataKeys) before it
  // applies the template: a creationPolicy Merge ExternalSecret that stops
  // producing a key removes it, and the keys others wrote stay.
  it('merge: a key the ExternalSecret wrote and no longer produces is removed, foreign keys stay', async () => {
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'merged', namespace: ns },
      data: { other: Buffer.from('kept').toString('base64') },
    });
    await admin.create(
      externalSecret('trimmed', {
        target: { name: 'merged', creationPolicy: 'Merge' },
        data: [
          { secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } },
          { secretKey: 'extra', remoteRef: { key: 'OTHER_PASSWORD' } },
        ],
      }),
    );
    const b = await start();
    await b.runCycle();
    expect(secretText(await admin.secret(ns, 'merged'), 'extra')).toBe(
      'second',
    );

    await admin.update<ExternalSecretObject>(header('trimmed'), es => ({
      ...es,
      spec: { ...es.spec, data: es.spec.data?.slice(0, 1) },
    }));
    await b.runCycle();

    const secret = await admin.secret(ns, 'merged');
    expect(Object.keys(secret?.data ?? {}).sort()).toEqual([
      'other',
      'password',
    ]);
    expect(secretText(secret, 'other')).toBe('kept');
  });
});
