import { AuditLog } from './__testUtils__/AuditLog';
import { KubeAdmin, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import {
  KubeTestBackend,
  startKubeTestBackend,
} from './__testUtils__/startKubeTestBackend';
import {
  component,
  ExternalSecretObject,
  secretText,
} from './__testUtils__/fixtures';
import {
  loginProviderModule,
  newLoginProviderCalls,
} from '../__testUtils__/loginProvider';

/**
 * Issue #17 item 17 end to end on a real kube-apiserver, with the plugin's
 * documented RBAC (pluginRbac.ts): a store we control shows ESO's status
 * (pkg/controllers/secretstore/common.go, reconcile: Ready True, reason Valid,
 * "store validated", capabilities ReadOnly), written once; a second
 * validation of the unchanged store writes nothing.
 */
jest.setTimeout(120_000);

describe('ESO fidelity: store status (issue #17) against a real kube-apiserver', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let backend: KubeTestBackend | undefined;

  beforeAll(() => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  it('the status should show Valid and Ready True, written once (second cycle: zero writes)', async () => {
    const ns = await admin.createNamespace('storestatus');
    const app = uniqueName('app');
    const store = uniqueName('store');
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: store },
      spec: {
        // Validation due every cycle: the second cycle validates again.
        refreshInterval: 0,
        provider: { fake: { data: [{ key: 'DB_PASSWORD', value: 'pw' }] } },
      },
    });
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
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      },
    });
    const audit = new AuditLog(env.auditLog, admin);
    backend = await startKubeTestBackend({ env, entities: [component(app)] });

    const first = await audit.checkpoint();
    await backend.runCycle();
    const storeStatusWrites = async (since: number) =>
      (await audit.writesBy(env.pluginUser, since)).filter(
        e =>
          e.objectRef?.resource === 'clustersecretstores' &&
          e.objectRef.subresource === 'status' &&
          e.objectRef.name === store,
      );
    const written = await storeStatusWrites(first);
    expect(written).toHaveLength(1);
    expect(written[0].responseStatus?.code).toBe(200);
    const read = (await admin.custom.getClusterCustomObject({
      group: 'external-secrets.io',
      version: 'v1',
      plural: 'clustersecretstores',
      name: store,
    })) as { status?: any };
    expect(read.status).toMatchObject({
      capabilities: 'ReadOnly',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Valid',
          message: 'store validated',
        },
      ],
    });

    const second = await audit.checkpoint();
    await backend.runCycle();
    expect(await storeStatusWrites(second)).toEqual([]);
  });

  it('Events on the ExternalSecret for a first sync (Created) and a failure (UpdateFailed), without values', async () => {
    const ns = await admin.createNamespace('events');
    const app = uniqueName('app');
    const store = uniqueName('store');
    const canary = uniqueName('canary-value');
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: store },
      spec: {
        provider: { fake: { data: [{ key: 'DB_PASSWORD', value: canary }] } },
      },
    });
    const es = (name: string, key: string) => ({
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
        data: [{ secretKey: 'password', remoteRef: { key } }],
      },
    });
    await admin.create(es('synced', 'DB_PASSWORD'));
    await admin.create(es('failing', 'MISSING_KEY'));
    backend = await startKubeTestBackend({ env, entities: [component(app)] });
    await backend.runCycle();

    const events = (await admin.core.listNamespacedEvent({ namespace: ns }))
      .items;
    const on = (name: string) =>
      events
        .filter(
          e =>
            e.involvedObject.kind === 'ExternalSecret' &&
            e.involvedObject.name === name,
        )
        .map(e => ({
          type: e.type,
          reason: e.reason,
          message: e.message,
          component: e.source?.component,
        }));
    expect(on('synced')).toEqual([
      {
        type: 'Normal',
        reason: 'Created',
        message: 'secret created',
        component: 'backstage-external-secrets',
      },
    ]);
    expect(on('failing')).toEqual([
      expect.objectContaining({
        type: 'Warning',
        reason: 'UpdateFailed',
        message: expect.stringContaining('MISSING_KEY'),
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(canary);
  });

  it('a new store whose validation fails is read by nothing, its ExternalSecret says StoreNotReady, and it syncs once fixed', async () => {
    // ESO's flood gate (pkg/controllers/secretstore/client_manager.go,
    // assertStoreIsUsable): no Ready condition, no read.
    const ns = await admin.createNamespace('storegate');
    const app = uniqueName('app');
    const store = uniqueName('store');
    const canary = uniqueName('canary-value');
    const calls = newLoginProviderCalls();
    const storeHeader = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: store },
    };
    await admin.create({
      ...storeHeader,
      spec: {
        // Validation due every cycle: the fix shows in the next one.
        refreshInterval: 0,
        provider: {
          // ESO's CRD prunes unknown providers: the test provider serves
          // `kubernetes`, logging in with its bearer token Secret.
          kubernetes: {
            remoteNamespace: ns,
            // Its credential Secret does not exist yet.
            auth: {
              token: {
                bearerToken: {
                  name: 'login-token',
                  key: 'token',
                  namespace: ns,
                },
              },
            },
          },
        },
      },
    });
    try {
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
          data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
        },
      });
      backend = await startKubeTestBackend({
        env,
        entities: [component(app)],
        extraFeatures: [
          loginProviderModule(calls, {
            name: 'kubernetes',
            credentialRef: spec => spec?.auth?.token?.bearerToken,
            data: [{ key: 'DB_PASSWORD', value: canary }],
          }),
        ],
      });
      const readyOf = async () =>
        (
          await admin.read<ExternalSecretObject>({
            apiVersion: 'external-secrets.io/v1',
            kind: 'ExternalSecret',
            metadata: { name: 'db', namespace: ns },
          })
        ).status?.conditions?.find(c => c.type === 'Ready');
      const storeReady = async () =>
        ((await admin.read(storeHeader)) as { status?: any }).status
          ?.conditions?.[0];

      await backend.runCycle();

      expect(calls.validations).toHaveLength(1);
      expect(calls.clients).toEqual([]);
      expect(calls.reads).toBe(0);
      expect(await admin.secret(ns, 'db')).toBeUndefined();
      const failing = await readyOf();
      expect(failing).toMatchObject({ status: 'False' });
      expect(failing?.message).toContain(
        `store ClusterSecretStore/${store} is not ready`,
      );
      expect(failing?.message).toContain('login-token');
      expect(await storeReady()).toMatchObject({
        status: 'False',
        reason: 'InvalidProviderConfig',
      });

      await admin.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'login-token', namespace: ns },
        stringData: { token: 'good-token' },
      });
      await backend.runCycle();

      expect(secretText(await admin.secret(ns, 'db'), 'password')).toBe(canary);
      expect(await readyOf()).toMatchObject({ status: 'True' });
      expect(await storeReady()).toMatchObject({
        status: 'True',
        reason: 'Valid',
      });
    } finally {
      // Other suites share the control plane: leave no store of a provider they lack.
      await admin.deleteIfPresent(storeHeader);
    }
  });
});
