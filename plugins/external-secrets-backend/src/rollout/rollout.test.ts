import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { externalSecretsEntityRestartPermission } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

const NS = 'payments';
const CANARY = 'rollout-canary-3f9a';
const LONG_AGO = '2020-01-01T00:00:00Z';
const FUTURE = '2099-01-01T00:00:00Z';
const LAST_RELOADED = 'reloader.stakater.com/last-reloaded-from';

const CHECKOUT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

function store(value: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'demo-store' },
    spec: { provider: { fake: { data: [{ key: 'DB_PASSWORD', value }] } } },
  };
}

function externalSecret(annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name: 'db',
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
      annotations,
    },
    spec: {
      refreshInterval: '1ms',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'demo-store' },
      target: { name: 'db' },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    },
  };
}

function deployment(
  name: string,
  podSpec: Record<string, unknown>,
  extra: { annotations?: Record<string, string>; paused?: boolean } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, annotations: extra.annotations },
    spec: {
      paused: extra.paused,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec },
    },
  };
}

const ENV_READER = {
  containers: [
    {
      name: 'app',
      image: 'checkout',
      env: [
        { name: 'LITERAL', value: CANARY },
        {
          name: 'DB_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
        },
      ],
    },
  ],
};
const VOLUME_READER = {
  containers: [
    {
      name: 'app',
      image: 'reader',
      volumeMounts: [{ name: 'creds', mountPath: '/etc/db' }],
    },
  ],
  volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
};

function pod(app: string, name: string, startTime: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app } },
    spec: { containers: [{ name: 'app', image: app }] },
    status: { phase: 'Running', startTime },
  };
}

describe('rollout: consumers of a synced Secret (simulated cluster)', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.reset();
    sim.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(cluster: Record<string, string>) {
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CHECKOUT],
      cluster,
    });
    return backend;
  }

  async function status(b: ReconcilerTestBackend) {
    const res = await request(b.server).get(
      '/api/external-secrets/entities/component/default/checkout-service/status',
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
    return res.body.externalSecrets[0];
  }

  const workloadRequests = () =>
    sim.requests.filter(r =>
      [
        'deployments',
        'statefulsets',
        'daemonsets',
        'cronjobs',
        'pods',
      ].includes(r.resource ?? ''),
    );
  const patches = () =>
    sim.requests.filter(
      r => r.resource === 'deployments' && r.verb === 'patch',
    );
  const template = (name: string) =>
    (sim.get({ kind: 'Deployment', namespace: NS, name }) as any).spec.template
      .metadata.annotations ?? {};

  it('reads no workload in a cluster without rollout (the default)', async () => {
    sim.seed(store('v1'), externalSecret(), deployment('web', ENV_READER));
    const b = await start({});
    await b.runCycle();
    expect(workloadRequests()).toEqual([]);
    expect((await status(b)).rollout).toBeUndefined();
  });

  it('observe: finds the env reader stale and the volume reader updating in place (in list order), one list per kind', async () => {
    sim.seed(
      store('v1'),
      externalSecret(),
      deployment('web', ENV_READER),
      deployment('reader', VOLUME_READER),
      deployment('unrelated', { containers: [{ name: 'x', image: 'x' }] }),
      pod('web', 'web-1', LONG_AGO),
      pod('web', 'web-2', LONG_AGO),
      pod('web', 'web-3', LONG_AGO),
      pod('reader', 'reader-1', LONG_AGO),
    );
    const b = await start({ rollout: 'observe' });
    await b.runCycle();
    const es = await status(b);
    expect(es.dataChangedAt).toEqual(expect.any(String));
    expect(es.rollout).toEqual({
      mode: 'observe',
      consumers: [
        {
          kind: 'Deployment',
          name: 'reader',
          reads: ['volume'],
          containers: ['app'],
          updates: 'in-place',
          verdict: 'updates-in-place',
          pods: 1,
          stalePods: 1,
          paused: false,
        },
        {
          kind: 'Deployment',
          name: 'web',
          reads: ['env'],
          containers: ['app'],
          updates: 'restart',
          verdict: 'restart-needed',
          pods: 3,
          stalePods: 3,
          paused: false,
        },
      ],
    });
    const lists = workloadRequests().filter(r => r.resource !== 'pods');
    expect(lists.map(r => r.resource).sort()).toEqual([
      'cronjobs',
      'daemonsets',
      'deployments',
      'statefulsets',
    ]);
    expect(patches()).toEqual([]);
  });

  it('restart: one template patch when our write changes the data, none when nothing changed', async () => {
    sim.seed(
      store('v1'),
      externalSecret(),
      deployment('web', ENV_READER, {
        annotations: { 'reloader.stakater.com/auto': 'true' },
      }),
      pod('web', 'web-1', LONG_AGO),
    );
    const b = await start({ rollout: 'restart' });
    await b.runCycle(); // creates the Secret: no restart on create
    expect(patches()).toEqual([]);
    sim.seed(store('v2'));
    await b.runCycle(); // the value changed: one restart
    expect(patches()).toHaveLength(1);
    const source = JSON.parse(template('web')[LAST_RELOADED]);
    expect(source).toMatchObject({ type: 'SECRET', name: 'db', namespace: NS });
    await b.runCycle(); // unchanged: nothing more
    await b.runCycle();
    expect(patches()).toHaveLength(1);
    const es = await status(b);
    expect(es.rollout.consumers[0]).toMatchObject({
      name: 'web',
      verdict: 'restarting',
      restartOn: 'reloader.stakater.com/auto',
      lastRestart: { by: 'on-change' },
    });
    const audited = b.auditor.createEvent.mock.calls
      .map(([e]: any[]) => e)
      .filter((e: any) => e.eventId === 'workload-restart');
    expect(audited).toHaveLength(1);
    expect(audited[0].meta).toMatchObject({
      trigger: 'on-change',
      workload: 'Deployment/web',
      secret: 'db',
      changedKeys: ['password'],
    });
    expect(JSON.stringify(audited)).not.toMatch(/v2|v1"|CANARY/);
  });

  describe('a restart patch the apiserver refused', () => {
    const optedIn = () =>
      deployment('web', ENV_READER, {
        annotations: { 'reloader.stakater.com/auto': 'true' },
      });
    const restartAudits = (b: ReconcilerTestBackend) =>
      b.auditor.createEvent.mock.calls
        .map(([e]: any[], i: number) => ({
          meta: e.meta,
          eventId: e.eventId,
          handle: b.auditor.createEvent.mock.results[i].value,
        }))
        .filter((e: any) => e.eventId === 'workload-restart');

    it.each([409, 500])(
      'is retried at the next cycle and lands once (HTTP %i)',
      async httpStatus => {
        sim.seed(store('v1'), externalSecret(), optedIn());
        sim.seed(pod('web', 'web-1', LONG_AGO));
        const b = await start({ rollout: 'restart' });
        await b.runCycle();
        sim.injectFault({
          verb: 'patch',
          resource: 'deployments',
          status: httpStatus,
          times: 1,
        });
        sim.seed(store('v2'));
        await b.runCycle(); // the change: the patch is refused
        expect(patches()).toHaveLength(1);
        expect(template('web')[LAST_RELOADED]).toBeUndefined();
        let es = await status(b);
        expect(es.rollout.consumers[0]).toMatchObject({
          name: 'web',
          verdict: 'restart-needed',
        });
        expect(es.rollout.error).toContain(`HTTP ${httpStatus}`);
        expect(es.rollout.error).toContain('retried at the next cycle');
        await b.runCycle(); // nothing changed: the restart is retried
        expect(patches()).toHaveLength(2);
        expect(JSON.parse(template('web')[LAST_RELOADED])).toMatchObject({
          name: 'db',
        });
        await b.runCycle();
        await b.runCycle();
        expect(patches()).toHaveLength(2);
        es = await status(b);
        expect(es.rollout.error).toBeUndefined();
        expect(es.rollout.consumers[0]).toMatchObject({
          verdict: 'restarting',
          lastRestart: { by: 'on-change' },
        });
        const audits = restartAudits(b);
        expect(audits.map((a: any) => a.meta.attempt)).toEqual([1, 2]);
        expect(audits[0].meta.changedKeys).toEqual(['password']);
        expect(audits[1].meta.changedKeys).toEqual(['password']);
        expect((await audits[0].handle).fail).toHaveBeenCalled();
        expect((await audits[1].handle).success).toHaveBeenCalled();
      },
    );

    it('is superseded by the next change: one patch, for the new data', async () => {
      sim.seed(store('v1'), externalSecret(), optedIn());
      sim.seed(pod('web', 'web-1', LONG_AGO));
      const b = await start({ rollout: 'restart' });
      await b.runCycle();
      sim.injectFault({
        verb: 'patch',
        resource: 'deployments',
        status: 500,
        times: 1,
      });
      sim.seed(store('v2'));
      await b.runCycle(); // refused
      sim.seed(store('v3'));
      await b.runCycle(); // the new change is the one restarted for
      await b.runCycle();
      expect(patches()).toHaveLength(2);
      const hash = (
        sim.get({ kind: 'Secret', namespace: NS, name: 'db' }) as any
      ).metadata.annotations['reconcile.external-secrets.io/data-hash'];
      expect(JSON.parse(template('web')[LAST_RELOADED]).hash).toBe(hash);
    });

    it('a Deployment list that times out keeps the pending restart, which lands at the next cycle', async () => {
      sim.seed(store('v1'), externalSecret(), optedIn());
      sim.seed(pod('web', 'web-1', LONG_AGO));
      const b = await start({ rollout: 'restart' });
      await b.runCycle();
      sim.injectFault({
        verb: 'patch',
        resource: 'deployments',
        status: 500,
        times: 1,
      });
      sim.seed(store('v2'));
      await b.runCycle(); // the change: the patch is refused, pending
      sim.injectFault({
        verb: 'list',
        resource: 'deployments',
        status: 504,
        message: 'the list timed out',
        times: 1,
      });
      await b.runCycle(); // Deployments cannot be listed this cycle
      let es = await status(b);
      expect(es.rollout.error).toContain(
        `could not list Deployments in namespace ${NS}`,
      );
      expect(es.rollout.error).toContain('retried at the next cycle');
      expect(es.rollout.consumers).toEqual([
        expect.objectContaining({ name: 'web', verdict: 'restart-needed' }),
      ]);
      expect(patches()).toHaveLength(1);
      await b.runCycle(); // listed again: the pending restart lands
      expect(patches()).toHaveLength(2);
      expect(JSON.parse(template('web')[LAST_RELOADED])).toMatchObject({
        name: 'db',
      });
      es = await status(b);
      expect(es.rollout.error).toBeUndefined();
      expect(es.rollout.consumers[0]).toMatchObject({
        verdict: 'restarting',
        lastRestart: { by: 'on-change' },
      });
    });

    it('a data change while Deployments cannot be listed is restarted for once they list again', async () => {
      sim.seed(store('v1'), externalSecret(), optedIn());
      sim.seed(pod('web', 'web-1', LONG_AGO));
      const b = await start({ rollout: 'restart' });
      await b.runCycle();
      sim.injectFault({
        verb: 'list',
        resource: 'deployments',
        status: 504,
        times: 1,
      });
      sim.seed(store('v2'));
      await b.runCycle(); // the change, with no Deployment listed
      expect(patches()).toEqual([]);
      await b.runCycle(); // listed again: the restart for v2 lands
      await b.runCycle();
      expect(patches()).toHaveLength(1);
      const hash = (
        sim.get({ kind: 'Secret', namespace: NS, name: 'db' }) as any
      ).metadata.annotations['reconcile.external-secrets.io/data-hash'];
      expect(JSON.parse(template('web')[LAST_RELOADED]).hash).toBe(hash);
      expect((await status(b)).rollout.error).toBeUndefined();
    });

    it('403: names the missing RBAC verb and is not retried at every cycle', async () => {
      sim.seed(store('v1'), externalSecret(), optedIn());
      sim.seed(pod('web', 'web-1', LONG_AGO));
      const b = await start({ rollout: 'restart' });
      await b.runCycle();
      sim.injectFault({ verb: 'patch', resource: 'deployments', status: 403 });
      sim.seed(store('v2'));
      await b.runCycle();
      await b.runCycle();
      await b.runCycle();
      expect(patches()).toHaveLength(1);
      const es = await status(b);
      expect(es.rollout.error).toContain('"patch" on "deployments"');
      expect(es.rollout.error).toContain('retried every 10 minutes');
      expect(es.rollout.consumers[0].verdict).toBe('restart-needed');
    });
  });

  it('restart: at most once per change across a backend restart (the change is read from the Secret in the cluster)', async () => {
    sim.seed(
      store('v1'),
      externalSecret(),
      deployment('web', ENV_READER, {
        annotations: { 'reloader.stakater.com/auto': 'true' },
      }),
      pod('web', 'web-1', LONG_AGO),
    );
    await (await start({ rollout: 'restart' })).runCycle();
    sim.seed(store('v2'));
    await backend!.runCycle();
    expect(patches()).toHaveLength(1);
    // Another replica, or this one after a restart, with none of the first
    // backend's memory or database: the Secret already holds v2's hash.
    await backend!.stop();
    const replica = await start({ rollout: 'restart' });
    await replica.runCycle();
    await replica.runCycle();
    expect(patches()).toHaveLength(1);
  });

  it('restart: none when the pod template already names the new data (Reloader or another replica restarted it)', async () => {
    const dataHash = () =>
      (sim.get({ kind: 'Secret', namespace: NS, name: 'db' }) as any).metadata
        .annotations['reconcile.external-secrets.io/data-hash'];
    sim.seed(store('v2'), externalSecret());
    const b = await start({ rollout: 'restart' });
    await b.runCycle();
    const v2Hash = dataHash();
    sim.seed(store('v1'));
    await b.runCycle(); // the Secret now holds v1
    expect(dataHash()).not.toBe(v2Hash);
    // The workload was restarted for v2 already, by someone else.
    const web = deployment('web', ENV_READER, {
      annotations: { 'reloader.stakater.com/auto': 'true' },
    });
    web.spec.template.metadata = {
      ...web.spec.template.metadata,
      annotations: {
        [LAST_RELOADED]: JSON.stringify({
          type: 'SECRET',
          name: 'db',
          namespace: NS,
          hash: v2Hash,
          containerRefs: ['app'],
          observedAt: 1,
        }),
      },
    } as any;
    sim.seed(web, pod('web', 'web-1', LONG_AGO));
    sim.seed(store('v2'));
    await b.runCycle(); // our write changes the data to v2
    expect(dataHash()).toBe(v2Hash);
    expect(patches()).toEqual([]);
    expect((await status(b)).rollout.consumers[0]).toMatchObject({
      name: 'web',
      verdict: 'restarting',
    });
  });

  it('restart: an OnDelete StatefulSet gets the patch (as Reloader does) but stays "restart needed": its pods roll only when deleted', async () => {
    const statefulSet = {
      ...deployment('db-0', ENV_READER, {
        annotations: { 'reloader.stakater.com/auto': 'true' },
      }),
      kind: 'StatefulSet',
    };
    (statefulSet.spec as any).updateStrategy = { type: 'OnDelete' };
    sim.seed(
      store('v1'),
      externalSecret(),
      statefulSet,
      pod('db-0', 'db-0-0', LONG_AGO),
    );
    const b = await start({ rollout: 'restart' });
    await b.runCycle();
    sim.seed(store('v2'));
    await b.runCycle();
    await b.runCycle();
    const stsPatches = sim.requests.filter(
      r => r.resource === 'statefulsets' && r.verb === 'patch',
    );
    expect(stsPatches).toHaveLength(1);
    expect((await status(b)).rollout.consumers[0]).toMatchObject({
      kind: 'StatefulSet',
      name: 'db-0',
      verdict: 'restart-needed',
      updateStrategy: 'OnDelete',
      stalePods: 1,
      lastRestart: { by: 'on-change' },
    });
  });

  it('restart: never for a paused Deployment, nor without an opt-in', async () => {
    sim.seed(
      store('v1'),
      externalSecret(),
      deployment('paused', ENV_READER, {
        paused: true,
        annotations: { 'reloader.stakater.com/auto': 'true' },
      }),
      deployment('plain', ENV_READER),
      pod('paused', 'paused-1', LONG_AGO),
      pod('plain', 'plain-1', LONG_AGO),
    );
    const b = await start({ rollout: 'restart' });
    await b.runCycle();
    sim.seed(store('v2'));
    await b.runCycle();
    expect(patches()).toEqual([]);
    const consumers = (await status(b)).rollout.consumers;
    expect(consumers.map((c: any) => [c.name, c.verdict, c.paused])).toEqual([
      ['paused', 'restart-needed', true],
      ['plain', 'restart-needed', false],
    ]);
  });

  it('a Deployment paused when the data changed gets its one patch after it is resumed', async () => {
    const web = (paused: boolean) =>
      deployment('web', ENV_READER, {
        paused,
        annotations: { 'reloader.stakater.com/auto': 'true' },
      });
    sim.seed(store('v1'), externalSecret(), web(true));
    sim.seed(pod('web', 'web-1', LONG_AGO));
    const b = await start({ rollout: 'restart' });
    await b.runCycle();
    sim.seed(store('v2'));
    await b.runCycle(); // the change, while paused: no patch
    await b.runCycle();
    expect(patches()).toEqual([]);
    let es = await status(b);
    expect(es.rollout.error).toBeUndefined();
    expect(es.rollout.consumers[0]).toMatchObject({
      verdict: 'restart-needed',
      paused: true,
    });
    sim.seed(web(false)); // resumed
    await b.runCycle();
    await b.runCycle();
    expect(patches()).toHaveLength(1);
    const hash = (sim.get({ kind: 'Secret', namespace: NS, name: 'db' }) as any)
      .metadata.annotations['reconcile.external-secrets.io/data-hash'];
    expect(JSON.parse(template('web')[LAST_RELOADED]).hash).toBe(hash);
    es = await status(b);
    expect(es.rollout.consumers[0]).toMatchObject({
      verdict: 'restarting',
      paused: false,
      lastRestart: { by: 'on-change' },
    });
  });

  it('restart: our ExternalSecret annotation opts its readers in', async () => {
    sim.seed(
      store('v1'),
      externalSecret({
        'external-secrets-backstage.io/restart-on-change': 'true',
      }),
      deployment('web', ENV_READER),
      pod('web', 'web-1', LONG_AGO),
    );
    const b = await start({ rollout: 'restart' });
    await b.runCycle();
    sim.seed(store('v2'));
    await b.runCycle();
    expect(patches()).toHaveLength(1);
  });

  it('restart: none when the sync failed', async () => {
    sim.seed(
      store('v1'),
      externalSecret(),
      deployment('web', ENV_READER, {
        annotations: { 'reloader.stakater.com/auto': 'true' },
      }),
    );
    const b = await start({ rollout: 'restart' });
    await b.runCycle();
    // The key vanishes from the store: the sync fails, the Secret is kept.
    sim.seed({
      ...store('v1'),
      spec: { provider: { fake: { data: [{ key: 'OTHER', value: 'x' }] } } },
    });
    await b.runCycle();
    expect((await status(b)).state).toBe('Error');
    expect(patches()).toEqual([]);
  });

  it('two ExternalSecrets read by one workload: its pods are listed once per cycle', async () => {
    sim.seed(
      store('v1'),
      externalSecret(),
      {
        ...externalSecret(),
        metadata: { ...externalSecret().metadata, name: 'db2' },
        spec: { ...externalSecret().spec, target: { name: 'db2' } },
      },
      deployment('web', {
        containers: [
          {
            name: 'app',
            image: 'checkout',
            envFrom: [
              { secretRef: { name: 'db' } },
              { secretRef: { name: 'db2' } },
            ],
          },
        ],
      }),
      pod('web', 'web-1', LONG_AGO),
    );
    const b = await start({ rollout: 'observe' });
    sim.clearRequests();
    await b.runCycle();
    const lists = (resource: string) =>
      sim.requests.filter(r => r.resource === resource && r.verb === 'list');
    expect(lists('pods')).toHaveLength(1);
    expect(lists('deployments')).toHaveLength(1);
  });

  it('pods started after the change are current', async () => {
    sim.seed(
      store('v1'),
      externalSecret(),
      deployment('web', ENV_READER),
      pod('web', 'web-new', FUTURE),
    );
    const b = await start({ rollout: 'observe' });
    await b.runCycle();
    expect((await status(b)).rollout.consumers[0]).toMatchObject({
      verdict: 'current',
      pods: 1,
      stalePods: 0,
    });
  });

  it('observe mode (ESO writes): a new ESO data-hash dates the change, pods from before it are stale, nothing is restarted', async () => {
    const eso = {
      ...externalSecret(),
      spec: {
        ...externalSecret().spec,
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'eso-store' },
      },
      status: {
        refreshTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        conditions: [{ type: 'Ready', status: 'True', reason: 'SecretSynced' }],
      },
    };
    const esoSecret = (hash: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: NS,
        annotations: { 'reconcile.external-secrets.io/data-hash': hash },
      },
      data: { password: Buffer.from(CANARY).toString('base64') },
    });
    sim.seed(
      eso,
      esoSecret('hash-1'),
      deployment('web', ENV_READER, {
        annotations: { 'reloader.stakater.com/auto': 'true' },
      }),
      pod('web', 'web-1', LONG_AGO),
    );
    const b = await start({ mode: 'observe', rollout: 'restart' });
    await b.runCycle();
    // First sight: the change time is unknown, running pods count as current.
    let es = await status(b);
    expect(es.dataChangedAt).toBeUndefined();
    expect(es.rollout.consumers[0].verdict).toBe('current');
    sim.seed(esoSecret('hash-2')); // ESO wrote new data
    await b.runCycle();
    es = await status(b);
    expect(es.dataChangedAt).toEqual(expect.any(String));
    expect(es.rollout.consumers[0]).toMatchObject({
      verdict: 'restart-needed',
      stalePods: 1,
    });
    expect(patches()).toEqual([]);
  });

  describe('restart now', () => {
    const restart = (b: ReconcilerTestBackend, workload = 'web') =>
      request(b.server)
        .post(
          '/api/external-secrets/entities/component/default/checkout-service/restart',
        )
        .send({
          cluster: 'test',
          namespace: NS,
          name: 'db',
          workloadKind: 'Deployment',
          workload,
        });

    beforeEach(() => {
      sim.seed(
        store('v1'),
        externalSecret(),
        deployment('web', ENV_READER),
        pod('web', 'web-1', LONG_AGO),
      );
    });

    it('patches the stale workload once, audited; a second request is refused while it rolls', async () => {
      const b = await start({ rollout: 'restart' });
      await b.runCycle();
      const res = await restart(b);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        workload: 'web',
        workloadKind: 'Deployment',
      });
      expect(patches()).toHaveLength(1);
      expect(template('web')[LAST_RELOADED]).toBeDefined();
      expect((await status(b)).rollout.consumers[0]).toMatchObject({
        verdict: 'restarting',
        lastRestart: { by: 'restart-now' },
      });
      const again = await restart(b);
      expect(again.status).toBe(409);
      expect(patches()).toHaveLength(1);
      const ids = b.auditor.createEvent.mock.calls.map(
        ([e]: any[]) => e.eventId,
      );
      expect(ids).toEqual(
        expect.arrayContaining(['restart-now', 'workload-restart']),
      );
    });

    it('is refused in an observe-rollout cluster', async () => {
      const b = await start({ rollout: 'observe' });
      await b.runCycle();
      const res = await restart(b);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('rollout: restart');
      expect(patches()).toEqual([]);
    });

    it('is refused with 403 and audited for a user who may read the entity but not restart', async () => {
      backend = await startReconcilerTestBackend({
        sim,
        entities: [CHECKOUT],
        cluster: { rollout: 'restart' },
        permissions: mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name ===
                externalSecretsEntityRestartPermission.name
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }),
      });
      await backend.runCycle();
      expect((await status(backend)).rollout.consumers[0].verdict).toBe(
        'restart-needed',
      );
      const res = await restart(backend);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        externalSecretsEntityRestartPermission.name,
      );
      expect(patches()).toEqual([]);
      const refused = backend.auditor.createEvent.mock.results
        .map((r: any, i: number) => ({
          event: backend!.auditor.createEvent.mock.calls[i][0],
          handle: r.value,
        }))
        .filter(({ event }: any) => event.eventId === 'restart-now');
      expect(refused).toHaveLength(1);
      expect((await refused[0].handle).fail).toHaveBeenCalled();
      expect(
        backend.auditor.createEvent.mock.calls.filter(
          ([e]: any[]) => e.eventId === 'workload-restart',
        ),
      ).toEqual([]);
    });

    it('is refused (409) for an OnDelete StatefulSet: a template patch would not roll it, its pods must be deleted', async () => {
      const statefulSet = {
        ...deployment('db-0', ENV_READER),
        kind: 'StatefulSet',
      };
      (statefulSet.spec as any).updateStrategy = { type: 'OnDelete' };
      sim.seed(statefulSet, pod('db-0', 'db-0-0', LONG_AGO));
      const b = await start({ rollout: 'restart' });
      await b.runCycle();
      const res = await request(b.server)
        .post(
          '/api/external-secrets/entities/component/default/checkout-service/restart',
        )
        .send({
          cluster: 'test',
          namespace: NS,
          name: 'db',
          workloadKind: 'StatefulSet',
          workload: 'db-0',
        });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('OnDelete');
      expect(res.body.error.message).toContain('delete');
      expect(
        sim.requests.filter(
          r => r.resource === 'statefulsets' && r.verb === 'patch',
        ),
      ).toEqual([]);
    });

    it('answers 404 for a workload that does not read the Secret', async () => {
      const b = await start({ rollout: 'restart' });
      await b.runCycle();
      expect((await restart(b, 'other')).status).toBe(404);
    });

    it('is rate limited per workload, and says when to retry (Retry-After)', async () => {
      const b = await start({ rollout: 'restart' });
      const responses = [];
      for (let i = 0; i < 3; i++) {
        // each cycle sees the pod still stale (no controller rolls it here)
        // and a new change, so the workload needs a restart again
        sim.seed(store(`v${i + 2}`));
        await b.runCycle();
        responses.push(await restart(b));
      }
      expect(responses.map(r => r.status)).toEqual([202, 202, 429]);
      const limited = responses[2];
      // The budget is 2 per 10 minutes: the window ends within 600 s.
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(limited.body.error.message).toContain(
        `try again in ${retryAfter}s`,
      );
      expect(patches()).toHaveLength(2);
    });
  });
});
