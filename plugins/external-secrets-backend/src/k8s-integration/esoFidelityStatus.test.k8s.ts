import { AuditLog } from './__testUtils__/AuditLog';
import { KubeAdmin, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import {
  KubeTestBackend,
  startKubeTestBackend,
} from './__testUtils__/startKubeTestBackend';
import { component } from './__testUtils__/fixtures';

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
});
