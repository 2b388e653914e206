import { AuditLog } from './__testUtils__/AuditLog';
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
 * Issue #17 (ESO fidelity) end to end on a real kube-apiserver: key precedence
 * (ESO's GetProviderSecretData merges dataFrom in order, then sets data over it,
 * pkg/controllers/externalsecret/externalsecret_controller_secret.go) and a
 * template that fails to render (ESO's Reconcile returns on the ApplyTemplate
 * error before the Secret is written and sets Ready=False).
 */
jest.setTimeout(120_000);

const CANARY = 'canary-k8s-fidelity-5c0e9a';
const tick = () => new Promise(r => setTimeout(r, 5));

describe('ESO fidelity (issue #17) against a real kube-apiserver', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let audit: AuditLog;
  let backend: KubeTestBackend | undefined;
  let ns: string;
  let app: string;
  let store: string;

  beforeAll(() => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
    audit = new AuditLog(env.auditLog, admin);
  });

  beforeEach(async () => {
    ns = await admin.createNamespace('fid');
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
              {
                key: 'APP_CONFIG',
                value: JSON.stringify({
                  username: 'app',
                  password: 'from-extract',
                }),
              },
              { key: 'DB_PASSWORD', value: CANARY },
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
        refreshInterval: '1ms',
        secretStoreRef: { kind: 'ClusterSecretStore', name: store },
        target: { name },
        ...spec,
      },
    };
  }

  const header = (name: string) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: ns },
  });
  const readExternalSecret = (name: string) =>
    admin.read<ExternalSecretObject>(header(name));

  it('precedence: data[] overrides the same key of a dataFrom extract, and says so', async () => {
    await admin.create(
      externalSecret('precedence', {
        dataFrom: [{ extract: { key: 'APP_CONFIG' } }],
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      }),
    );
    const b = await start();

    await b.runCycle();

    const synced = await admin.secret(ns, 'precedence');
    expect(Object.keys(synced!.data!).sort()).toEqual(['password', 'username']);
    expect(secretText(synced, 'password')).toBe(CANARY);
    expect(secretText(synced, 'username')).toBe('app');
    const es = await readExternalSecret('precedence');
    expect(es.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'True',
        reason: 'SecretSynced',
      }),
    ]);
    const row = (await b.status(app))[0];
    expect(row.state).toBe('Synced');
    expect(row.keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          secretKey: 'password',
          message: expect.stringContaining('overridden by data[0]'),
        }),
      ]),
    );
    expect(JSON.stringify([row, es.status])).not.toContain(CANARY);
  });

  it('template failure: the synced Secret stays untouched and the ExternalSecret reports Ready=False naming the template key', async () => {
    await admin.create(
      externalSecret('templated', {
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
        target: {
          name: 'templated',
          template: {
            engineVersion: 'v2',
            data: { dsn: 'postgres://app:{{ .password }}@db' },
          },
        },
      }),
    );
    const b = await start();
    await b.runCycle();
    const before = await admin.secret(ns, 'templated');
    expect(secretText(before, 'dsn')).toBe(`postgres://app:${CANARY}@db`);

    // A typo in the template: `.passwrod` is not a key (missingkey=error).
    await admin.update<TestObject & { spec: Record<string, any> }>(
      header('templated'),
      current => ({
        ...current,
        spec: {
          ...current.spec,
          target: {
            ...current.spec.target,
            template: {
              ...current.spec.target.template,
              data: { dsn: 'postgres://app:{{ .passwrod }}@db' },
            },
          },
        },
      }),
    );
    await tick();
    const checkpoint = await audit.checkpoint();
    await b.runCycle();

    const after = await admin.secret(ns, 'templated');
    expect(after!.metadata!.resourceVersion).toBe(
      before!.metadata!.resourceVersion,
    );
    expect(secretText(after, 'dsn')).toBe(`postgres://app:${CANARY}@db`);
    const writes = await audit.writesBy(env.pluginUser, checkpoint);
    expect(writes.map(e => e.objectRef?.resource)).not.toContain('secrets');
    const es = await readExternalSecret('templated');
    const ready = es.status?.conditions?.find(c => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'SecretSyncedError',
    });
    expect(ready?.message).toContain('could not apply template');
    expect(ready?.message).toContain('dsn');
    expect(JSON.stringify(es.status)).not.toContain(CANARY);
  });

  it('template failure on the first sync: no Secret is created, Ready=False and refreshTime stays unset', async () => {
    await admin.create(
      externalSecret('never-rendered', {
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
        target: {
          name: 'never-rendered',
          template: { data: { dsn: '{{ .password | noSuchFunction }}' } },
        },
      }),
    );
    const b = await start();

    await b.runCycle();

    expect(await admin.secret(ns, 'never-rendered')).toBeUndefined();
    const es = await readExternalSecret('never-rendered');
    expect(es.status?.refreshTime ?? undefined).toBeUndefined();
    expect(es.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'False',
        reason: 'SecretSyncedError',
        message: expect.stringContaining('noSuchFunction'),
      }),
    ]);
  });
});
