import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { mockServices } from '@backstage/backend-test-utils';
import { ClusterChanges } from '../reconciler/ClusterChanges';
import { KubernetesClusterClient } from '../kubernetes/KubernetesClusterClient';
import { KubernetesClusterWatcher } from '../kubernetes/KubernetesClusterWatcher';
import { createKubeConfig } from '../kubernetes/createKubeConfig';
import { AuditLog } from './__testUtils__/AuditLog';
import { component, ExternalSecretObject } from './__testUtils__/fixtures';
import { KubeAdmin, TestObject, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import {
  KubeTestBackend,
  startKubeTestBackend,
} from './__testUtils__/startKubeTestBackend';

jest.setTimeout(120_000);

/**
 * Issue #22 against a real kube-apiserver: with the periodic tick at 10
 * minutes, the watches alone make a newly applied ExternalSecret's Secret
 * exist, heal a deleted Secret and honour `force-sync`, each within 2 s (ESO
 * reacts within a second because it watches: externalsecret_controller.go
 * SetupWithManager); a watch whose resourceVersion expired (410 Gone from the
 * apiserver) lists again and misses no change; and the steady state writes
 * nothing.
 */
describe('event-driven reconcile against a real kube-apiserver', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let audit: AuditLog;
  let backend: KubeTestBackend;
  let run: { stop(): Promise<void> };
  let ns: string;
  let app: string;
  let store: string;

  const LATENCY_BOUND_MS = 2_000;

  const readExternalSecret = (name: string) =>
    admin.read<ExternalSecretObject>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: ns },
    });

  beforeAll(() => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
    audit = new AuditLog(env.auditLog, admin);
  });

  beforeEach(async () => {
    ns = await admin.createNamespace('ev');
    app = uniqueName('app');
    store = uniqueName('store');
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: store },
      spec: {
        provider: { fake: { data: [{ key: 'DB_PASSWORD', value: 'pw-1' }] } },
      },
    } as TestObject);
    await admin.create(externalSecret('existing'));
    backend = await startKubeTestBackend({
      env,
      entities: [component(app)],
      config: {
        schedule: { frequency: { minutes: 10 }, timeout: { minutes: 2 } },
        watch: { enabled: true },
      },
    });
    run = backend.startRun();
    await eventually(async () => {
      const es = await readExternalSecret('existing');
      return es.status?.refreshTime !== undefined;
    }, 30_000);
  });

  afterEach(async () => {
    await run.stop();
    await backend.stop();
  });

  function externalSecret(name: string): TestObject {
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
        target: { name },
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      },
    } as TestObject;
  }

  /** Polls `check` until it holds; returns how long that took. */
  async function eventually(
    check: () => Promise<boolean>,
    timeoutMs = 10_000,
  ): Promise<number> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`not within ${timeoutMs} ms`);
      await new Promise(r => setTimeout(r, 20));
    }
    return Date.now() - started;
  }

  it('creates the Secret of an applied ExternalSecret within 2 s', async () => {
    await admin.create(externalSecret('applied'));
    const elapsed = await eventually(
      async () => (await admin.secret(ns, 'applied')) !== undefined,
    );
    expect(elapsed).toBeLessThan(LATENCY_BOUND_MS);
  });

  it('recreates a deleted Secret within 2 s', async () => {
    await admin.deleteIfPresent({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'existing', namespace: ns },
    });
    const elapsed = await eventually(
      async () => (await admin.secret(ns, 'existing')) !== undefined,
    );
    expect(elapsed).toBeLessThan(LATENCY_BOUND_MS);
  });

  it('syncs on a force-sync annotation within 2 s', async () => {
    const before = (await readExternalSecret('existing')).status?.refreshTime;
    // refreshTime has a resolution of one second.
    await new Promise(r => setTimeout(r, 1_100));
    await admin.update<TestObject>(externalSecret('existing'), current => ({
      ...current,
      metadata: {
        ...current.metadata,
        annotations: { 'force-sync': String(Date.now()) },
      },
    }));
    const elapsed = await eventually(
      async () =>
        (await readExternalSecret('existing')).status?.refreshTime !== before,
    );
    expect(elapsed).toBeLessThan(LATENCY_BOUND_MS);
  });

  it('writes nothing in the steady state, its own writes included', async () => {
    const checkpoint = await audit.checkpoint();
    await new Promise(r => setTimeout(r, 3_000));
    expect(await audit.writesBy(env.pluginUser, checkpoint)).toEqual([]);
  });

  it('recovers from 410 Gone by listing again, missing no change', async () => {
    const connection = {
      type: 'serviceAccount' as const,
      url: env.url,
      token: SecretValue.fromString(env.pluginToken),
      caData: env.caData,
      skipTLSVerify: false,
    };
    const client = KubernetesClusterClient.fromConfig({
      name: 'kube-test-env',
      connection,
    });
    let lists = 0;
    const listed = (resource: string) => resource === 'externalsecrets';
    // The first list's resourceVersion is one the apiserver no longer holds
    // (as after a long disconnect and a compaction): its watch answers 410.
    const watcher = new KubernetesClusterWatcher({
      kubeConfig: createKubeConfig('kube-test-env', connection),
      list: async (resource, selector) => {
        const list = await (client as any).reads.listForWatch(
          resource,
          selector,
        );
        if (listed(resource)) lists++;
        if (resource !== 'externalsecrets' || lists > 1) return list;
        // A change after that list, seen only by listing again.
        await admin.create(externalSecret('missed'));
        return { ...list, resourceVersion: '1' };
      },
      minBackoffMs: 50,
    });
    const changes = new ClusterChanges({
      cluster: 'kube-test-env',
      mode: 'reconcile',
      watcher,
      logger: mockServices.logger.mock(),
    });
    try {
      await changes.start();
      await eventually(async () => changes.marks.size > 0);
      expect([...changes.marks.take()]).toContain(`${ns}/missed`);
      expect(lists).toBeGreaterThanOrEqual(2);
    } finally {
      changes.stop();
      client.close();
    }
  });
});
