import { AppsV1Api, V1Deployment, V1Pod } from '@kubernetes/client-node';
import request from 'supertest';
import { AuditLog } from './__testUtils__/AuditLog';
import { component } from './__testUtils__/fixtures';
import { KubeAdmin, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import {
  PLUGIN_RULES,
  ROLLOUT_OBSERVE_RULES,
  ROLLOUT_RESTART_RULES,
} from './__testUtils__/pluginRbac';
import {
  KubeTestBackend,
  startKubeTestBackend,
} from './__testUtils__/startKubeTestBackend';

jest.setTimeout(120_000);

const LAST_RELOADED = 'reloader.stakater.com/last-reloaded-from';
const CANARY = 'canary-k8s-rollout-51c0';

/**
 * Issue #23 against a real kube-apiserver: no controller-manager runs, so no
 * Deployment ever gets pods by itself; each test creates the pods it needs,
 * with the start times it needs, through the status subresource.
 */
describe('rollout: workloads reading a synced Secret (real kube-apiserver)', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let apps: AppsV1Api;
  let audit: AuditLog;
  let backend: KubeTestBackend | undefined;
  let ns: string;
  let app: string;
  let store: string;

  beforeAll(() => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
    apps = admin.kubeConfig.makeApiClient(AppsV1Api);
    audit = new AuditLog(env.auditLog, admin);
  });

  beforeEach(async () => {
    ns = await admin.createNamespace('ro');
    app = uniqueName('app');
    store = uniqueName('store');
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(
    rollout: 'observe' | 'restart',
    mode: 'reconcile' | 'observe' = 'reconcile',
  ) {
    const { token } = await admin.serviceAccountToken(ns, [
      ...PLUGIN_RULES,
      ...(rollout === 'restart'
        ? ROLLOUT_RESTART_RULES
        : ROLLOUT_OBSERVE_RULES),
    ]);
    backend = await startKubeTestBackend({
      env,
      entities: [component(app)],
      cluster: { serviceAccountToken: token, rollout, mode },
    });
    return backend;
  }

  async function setStoreValue(value: string) {
    const body = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: store },
      spec: {
        provider: { fake: { data: [{ key: 'DB_PASSWORD', value }] } },
      },
    };
    const current = await admin.find(body);
    if (current) await admin.update(body, c => ({ ...c, spec: body.spec }));
    else await admin.create(body);
  }

  async function createExternalSecret(
    annotations: Record<string, string> = {},
  ) {
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'db',
        namespace: ns,
        labels: { 'backstage.io/kubernetes-id': app },
        annotations,
      },
      spec: {
        refreshInterval: '1ms',
        secretStoreRef: { kind: 'ClusterSecretStore', name: store },
        target: { name: 'db' },
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      },
    });
  }

  function podSpec(reads: 'env' | 'volume') {
    const container = {
      name: 'app',
      image: 'registry.invalid/app:1',
      env: [{ name: 'LITERAL', value: CANARY }],
    };
    return reads === 'env'
      ? {
          containers: [
            {
              ...container,
              env: [
                ...container.env,
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
                },
              ],
            },
          ],
        }
      : {
          containers: [
            {
              ...container,
              volumeMounts: [{ name: 'creds', mountPath: '/etc/db' }],
            },
          ],
          volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
        };
  }

  async function createDeployment(
    name: string,
    reads: 'env' | 'volume',
    annotations: Record<string, string> = {},
  ) {
    await admin.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, annotations },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: podSpec(reads),
        },
      },
    });
  }

  /** A pod of the Deployment that started at `startTime` (no kubelet runs here). */
  async function createPod(
    deployment: string,
    reads: 'env' | 'volume',
    startTime: Date,
  ) {
    const name = uniqueName(deployment);
    await admin.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { app: deployment } },
      spec: podSpec(reads),
    });
    const pod = (await admin.core.readNamespacedPod({
      name,
      namespace: ns,
    })) as V1Pod;
    await admin.core.replaceNamespacedPodStatus({
      name,
      namespace: ns,
      body: { ...pod, status: { phase: 'Running', startTime } },
    });
  }

  async function template(name: string) {
    const d = (await apps.readNamespacedDeployment({
      name,
      namespace: ns,
    })) as V1Deployment;
    return d.spec?.template.metadata?.annotations ?? {};
  }

  async function deploymentPatches() {
    const events = await audit.since(0);
    return events.filter(
      e =>
        e.verb === 'patch' &&
        e.objectRef?.resource === 'deployments' &&
        e.objectRef?.namespace === ns,
    );
  }

  async function consumers(b: KubeTestBackend) {
    const rows = (await b.status(app)) as any[];
    expect(JSON.stringify(rows)).not.toContain(CANARY);
    return rows[0].rollout?.consumers ?? [];
  }

  it('finds a Deployment reading the Secret by env and flags it stale after a value change; a volume reader updates in place', async () => {
    await setStoreValue('v1');
    await createExternalSecret();
    await createDeployment('web', 'env');
    await createDeployment('reader', 'volume');
    const b = await start('observe');
    await b.runCycle(); // creates the Secret
    const started = new Date(Date.now() + 1000);
    await createPod('web', 'env', started);
    await createPod('web', 'env', started);
    await createPod('reader', 'volume', started);
    await new Promise(r => setTimeout(r, 1500));
    await b.runCycle();
    const before = await consumers(b);
    expect(before.find((c: any) => c.name === 'web')).toMatchObject({
      reads: ['env'],
      updates: 'restart',
      verdict: 'current',
      pods: 2,
      stalePods: 0,
    });
    await setStoreValue('v2');
    await b.runCycle(); // the value changes after the pods started
    const after = await consumers(b);
    expect(after.find((c: any) => c.name === 'web')).toMatchObject({
      verdict: 'restart-needed',
      pods: 2,
      stalePods: 2,
    });
    expect(after.find((c: any) => c.name === 'reader')).toMatchObject({
      reads: ['volume'],
      updates: 'in-place',
      verdict: 'updates-in-place',
    });
    expect(await deploymentPatches()).toEqual([]);
  });

  it('auto-restart on: exactly one template patch per change, none when nothing changed or the sync failed', async () => {
    await setStoreValue('v1');
    await createExternalSecret();
    await createDeployment('web', 'env', {
      'reloader.stakater.com/auto': 'true',
    });
    const b = await start('restart');
    await b.runCycle();
    await createPod('web', 'env', new Date());
    await new Promise(r => setTimeout(r, 1100));
    await b.runCycle(); // nothing changed
    expect(await deploymentPatches()).toEqual([]);
    expect(await template('web')).not.toHaveProperty([LAST_RELOADED]);

    await setStoreValue('v2');
    await b.runCycle();
    await b.runCycle();
    const patches = await deploymentPatches();
    expect(patches).toHaveLength(1);
    const source = JSON.parse((await template('web'))[LAST_RELOADED]);
    expect(source).toMatchObject({ type: 'SECRET', name: 'db', namespace: ns });
    expect((await consumers(b))[0]).toMatchObject({
      name: 'web',
      verdict: 'restarting',
      lastRestart: { by: 'on-change' },
    });

    // The key vanishes from the store: the sync fails, nothing restarts.
    await admin.update(
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: store },
      },
      c => ({
        ...c,
        spec: { provider: { fake: { data: [{ key: 'OTHER', value: 'x' }] } } },
      }),
    );
    await b.runCycle();
    expect((await b.status(app))[0].state).toBe('Error');
    expect(await deploymentPatches()).toHaveLength(1);
  });

  it('rollout: observe never patches, even for an opted-in workload', async () => {
    await setStoreValue('v1');
    await createExternalSecret({
      'external-secrets-backstage.io/restart-on-change': 'true',
    });
    await createDeployment('web', 'env', {
      'reloader.stakater.com/auto': 'true',
    });
    const b = await start('observe');
    await b.runCycle();
    await createPod('web', 'env', new Date());
    await new Promise(r => setTimeout(r, 1100));
    await setStoreValue('v2');
    await b.runCycle();
    expect(await deploymentPatches()).toEqual([]);
    expect((await consumers(b))[0]).toMatchObject({
      verdict: 'restart-needed',
      restartOn: 'reloader.stakater.com/auto',
    });
  });

  it('observe mode (ESO writes the Secret): a new data-hash flags the env reader stale, and nothing is patched even with rollout: restart and an opt-in', async () => {
    await createExternalSecret({
      'external-secrets-backstage.io/restart-on-change': 'true',
    });
    const justNow = new Date(Math.floor(Date.now() / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    await admin.replaceExternalSecretStatus(ns, 'db', {
      refreshTime: justNow,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'SecretSynced',
          message: 'secret synced',
          lastTransitionTime: justNow,
        },
      ],
    });
    /** The target Secret as ESO writes it: its data-hash annotation dates a change. */
    const esoWrites = async (hash: string) => {
      const body = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'db',
          namespace: ns,
          annotations: { 'reconcile.external-secrets.io/data-hash': hash },
        },
        data: { password: Buffer.from(`${CANARY}-${hash}`).toString('base64') },
      };
      if (await admin.secret(ns, 'db')) {
        await admin.update(body, c => ({ ...c, ...body }));
      } else await admin.create(body);
    };
    await esoWrites('hash-1');
    await createDeployment('web', 'env', {
      'reloader.stakater.com/auto': 'true',
    });
    await createPod('web', 'env', new Date());
    await new Promise(r => setTimeout(r, 1100));
    const b = await start('restart', 'observe');
    await b.runCycle(); // first sight of hash-1: no change on record
    expect((await consumers(b))[0]).toMatchObject({
      name: 'web',
      verdict: 'current',
    });

    await esoWrites('hash-2'); // ESO wrote new data after the pod started
    await b.runCycle();
    await b.runCycle();
    expect((await b.status(app))[0].mode).toBe('observe');
    expect((await consumers(b))[0]).toMatchObject({
      name: 'web',
      verdict: 'restart-needed',
      pods: 1,
      stalePods: 1,
      restartOn: 'reloader.stakater.com/auto',
    });
    expect(await deploymentPatches()).toEqual([]);
    expect(await template('web')).not.toHaveProperty([LAST_RELOADED]);
  });

  it('restart now patches the stale Deployment with the plugin account', async () => {
    await setStoreValue('v1');
    await createExternalSecret();
    await createDeployment('web', 'env');
    const b = await start('restart');
    await b.runCycle();
    await createPod('web', 'env', new Date());
    await new Promise(r => setTimeout(r, 1100));
    await setStoreValue('v2');
    await b.runCycle();
    expect(await deploymentPatches()).toEqual([]);
    expect((await consumers(b))[0].verdict).toBe('restart-needed');
    {
      const res = await request(b.server)
        .post(`/api/external-secrets/entities/component/default/${app}/restart`)
        .send({
          cluster: 'kube-test-env',
          namespace: ns,
          name: 'db',
          workloadKind: 'Deployment',
          workload: 'web',
        });
      expect(res.status).toBe(202);
      expect(await deploymentPatches()).toHaveLength(1);
      expect(await template('web')).toHaveProperty([LAST_RELOADED]);
    }
  });
});
