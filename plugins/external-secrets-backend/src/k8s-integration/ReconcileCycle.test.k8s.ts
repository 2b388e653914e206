import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  createFakeProvider,
  externalSecretsProvidersExtensionPoint,
  SecretsProvider,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { V1Secret } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AuditEvent, AuditLog } from './__testUtils__/AuditLog';
import { KubeAdmin, TestObject, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import { OBSERVE_RULES, rulesWithout } from './__testUtils__/pluginRbac';
import {
  KubeTestBackend,
  startKubeTestBackend,
} from './__testUtils__/startKubeTestBackend';

jest.setTimeout(120_000);

const CANARY = 'canary-k8s-reconcile-27b4e1';
const SEED_ES = parseYaml(
  readFileSync(
    resolve(__dirname, '../__fixtures__/seed-externalsecret.yaml'),
    'utf8',
  ),
);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const text = (secret: V1Secret | undefined, key: string) =>
  Buffer.from(secret?.data?.[key] ?? '', 'base64').toString();
const tick = () => new Promise(r => setTimeout(r, 5));

/** An ExternalSecret as the apiserver returns it. */
type ExternalSecretObject = TestObject &
  Pick<ExternalSecret, 'spec' | 'status'>;

function component(name: string, kubernetesId: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': kubernetesId },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

function clusterStore(name: string, data: { key: string; value: string }[]) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name },
    spec: { provider: { fake: { data } } },
  };
}

/** An Event's name without its unique suffix: `my-secret.1a2b...` → `my-secret`. */
function withoutEventSuffix(line: string): string {
  return line.replace(/^(create events [^ ]+?)\.[0-9a-f]+ /, '$1 ');
}

/** One audited request in a line, e.g. `update externalsecrets/status my-secret 200`. */
function describeEvent(e: AuditEvent): string {
  const resource = [e.objectRef?.resource, e.objectRef?.subresource]
    .filter(Boolean)
    .join('/');
  return `${e.verb} ${resource} ${e.objectRef?.name} ${e.responseStatus?.code}`;
}

/** The object a write is about: an Event `my-secret.1a2b...` is about `my-secret`. */
function involvedName(e: AuditEvent): string {
  const name = e.objectRef?.name ?? '';
  return e.objectRef?.resource === 'events'
    ? name.replace(/\.[0-9a-f]+$/, '')
    : name;
}

describe('ReconcileCycle against a real kube-apiserver', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let audit: AuditLog;
  let backend: KubeTestBackend | undefined;
  // Each test gets its own namespace, entity label and store: the control plane
  // is shared and nothing can be deleted for good without controllers.
  let ns: string;
  let app: string;
  let store: string;

  beforeAll(() => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
    audit = new AuditLog(env.auditLog, admin);
  });

  beforeEach(async () => {
    ns = await admin.createNamespace('rc');
    app = uniqueName('app');
    store = uniqueName('store');
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(
    options: Partial<Parameters<typeof startKubeTestBackend>[0]> = {},
  ) {
    backend = await startKubeTestBackend({
      env,
      entities: [component(app, app)],
      ...options,
    });
    return backend;
  }

  function externalSecret(
    name: string,
    target: Record<string, unknown> = {},
    data: { secretKey: string; key: string }[] = [
      { secretKey: 'password', key: 'DB_PASSWORD' },
      { secretKey: 'user', key: 'DB_USER' },
    ],
    storeRef = { kind: 'ClusterSecretStore', name: store },
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
        secretStoreRef: storeRef,
        target: { name, ...target },
        data: data.map(d => ({
          secretKey: d.secretKey,
          remoteRef: { key: d.key },
        })),
      },
    };
  }

  const BOTH_KEYS = [
    { key: 'DB_PASSWORD', value: CANARY },
    { key: 'DB_USER', value: 'app' },
  ];

  async function setStoreData(data: { key: string; value: string }[]) {
    await admin.update<TestObject>(clusterStore(store, []), current => ({
      ...current,
      spec: { provider: { fake: { data } } },
    }));
  }

  const clusterStoresOtherThan = async (own: string) => {
    const { items } = (await admin.custom.listClusterCustomObject({
      group: 'external-secrets.io',
      version: 'v1',
      plural: 'clustersecretstores',
    })) as { items: TestObject[] };
    return new Set(
      items.map(item => item.metadata.name).filter(name => name !== own),
    );
  };

  const secret = (name: string) => admin.secret(ns, name);
  const readExternalSecret = (name: string) =>
    admin.read<ExternalSecretObject>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: ns },
    });

  it('should sync the seed ExternalSecret into Secret my-secret and report SecretSynced through the status subresource', async () => {
    // The seed's names are fixed: clear what an earlier run on this control plane left.
    for (const header of [
      clusterStore('infisical-archon-platform', []),
      SEED_ES,
      { apiVersion: 'v1', kind: 'Secret', metadata: SEED_ES.metadata },
    ]) {
      await admin.deleteIfPresent(header);
    }
    await admin.create(
      clusterStore('infisical-archon-platform', [
        { key: 'MY_SECRET_NAME', value: CANARY },
      ]),
    );
    const seed = await admin.create({
      ...SEED_ES,
      metadata: {
        ...SEED_ES.metadata,
        labels: { 'backstage.io/kubernetes-id': 'orders' },
      },
    });
    // Another suite's fresh store on the shared control plane, as in a parallel run.
    await admin.create(clusterStore(uniqueName('other-suite'), []));
    const b = await start({
      entities: [component('orders-service', 'orders')],
    });
    const checkpoint = await audit.checkpoint();

    await b.runCycle();

    const synced = await admin.secret('my-namespace', 'my-secret');
    expect(Object.keys(synced!.data!)).toEqual(['api-key']);
    expect(text(synced, 'api-key')).toBe(CANARY);
    expect(synced!.metadata!.labels).toMatchObject({
      'reconcile.external-secrets.io/managed': 'true',
    });
    // creationPolicy was never written: the CRD defaulted it to Owner.
    expect(synced!.metadata!.ownerReferences).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        name: 'my-secret',
        uid: seed.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const es = await admin.read<ExternalSecretObject>(seed);
    expect(es.status).toMatchObject({
      binding: { name: 'my-secret' },
      refreshTime: expect.any(String),
      syncedResourceVersion: expect.stringMatching(/^1-/),
      conditions: [
        expect.objectContaining({
          type: 'Ready',
          status: 'True',
          reason: 'SecretSynced',
        }),
      ],
    });
    expect(es.metadata.generation).toBe(1);
    // The cycle also validates the ClusterSecretStores other suites left on
    // the shared control plane: leave their status and Events out.
    const foreignStores = await clusterStoresOtherThan(
      'infisical-archon-platform',
    );
    const writes = (await audit.writesBy(env.pluginUser, checkpoint)).filter(
      e => !foreignStores.has(involvedName(e)),
    );
    // Plus ESO's Events (Created on the ExternalSecret, Valid on the store) and
    // the store's status, once (issue #17 items 17, 18).
    expect(writes.map(describeEvent).map(withoutEventSuffix).sort()).toEqual(
      [
        'create secrets my-secret 201',
        'update externalsecrets/status my-secret 200',
        'create events my-secret 201',
        'update clustersecretstores/status infisical-archon-platform 200',
        'create events infisical-archon-platform 201',
      ].sort(),
    );
    expect((await b.status('orders-service'))[0]).toMatchObject({
      name: 'my-secret',
      state: 'Synced',
    });
  });

  it('should send zero writes when a due cycle finds nothing changed', async () => {
    await admin.create(clusterStore(store, BOTH_KEYS));
    await admin.create(externalSecret('steady'));
    const b = await start();
    await b.runCycle();
    const secretBefore = await secret('steady');
    const esBefore = await readExternalSecret('steady');
    const checkpoint = await audit.checkpoint();

    await tick();
    await b.runCycle();

    const events = await audit.since(checkpoint);
    const mine = events.filter(e => e.user.username === env.pluginUser);
    // The cycle did run against the apiserver (it listed), and wrote nothing.
    expect(mine.map(e => `${e.verb} ${e.objectRef?.resource}`)).toContain(
      'list externalsecrets',
    );
    expect(await audit.writesBy(env.pluginUser, checkpoint)).toEqual([]);
    expect((await secret('steady'))!.metadata!.resourceVersion).toBe(
      secretBefore!.metadata!.resourceVersion,
    );
    expect((await readExternalSecret('steady')).metadata.resourceVersion).toBe(
      esBefore.metadata.resourceVersion,
    );
  });

  it('should heal a Secret edited by hand with one update', async () => {
    await admin.create(clusterStore(store, BOTH_KEYS));
    await admin.create(externalSecret('drifted', { creationPolicy: 'Owner' }));
    const b = await start();
    await b.runCycle();
    await admin.update<V1Secret & TestObject>(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'drifted', namespace: ns },
      },
      current => ({
        ...current,
        data: { ...current.data, password: b64('edited') },
      }),
    );
    const checkpoint = await audit.checkpoint();

    await b.runCycle();

    expect(text(await secret('drifted'), 'password')).toBe(CANARY);
    // And ESO's Updated Event on the ExternalSecret (issue #17 item 18).
    expect(
      (await audit.writesBy(env.pluginUser, checkpoint))
        .map(describeEvent)
        .map(withoutEventSuffix),
    ).toEqual(['update secrets drifted 200', 'create events drifted 201']);
  });

  it('should update the Secret when the store serves a new value', async () => {
    await admin.create(clusterStore(store, BOTH_KEYS));
    await admin.create(externalSecret('rotating'));
    const b = await start();
    await b.runCycle();

    await setStoreData([
      { key: 'DB_PASSWORD', value: 'rotated' },
      { key: 'DB_USER', value: 'app' },
    ]);
    await tick();
    await b.runCycle();

    expect(text(await secret('rotating'), 'password')).toBe('rotated');
    expect(text(await secret('rotating'), 'user')).toBe('app');
  });

  it('should resync at once when the spec changes (a real generation bump), whatever the refresh interval', async () => {
    await admin.create(clusterStore(store, BOTH_KEYS));
    const evolving = externalSecret('evolving', {}, [
      { secretKey: 'password', key: 'DB_PASSWORD' },
    ]);
    await admin.create({
      ...evolving,
      spec: { ...evolving.spec, refreshInterval: '1h' },
    });
    const b = await start();
    await b.runCycle();
    expect(Object.keys((await secret('evolving'))!.data!)).toEqual([
      'password',
    ]);

    const changed = await admin.update<ExternalSecretObject>(
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'evolving', namespace: ns },
      },
      current => ({
        ...current,
        spec: {
          ...current.spec,
          data: [
            ...current.spec.data,
            {
              ...current.spec.data[0],
              secretKey: 'user',
              remoteRef: { ...current.spec.data[0].remoteRef, key: 'DB_USER' },
            },
          ],
        },
      }),
    );
    await b.runCycle();

    expect(changed.metadata.generation).toBe(2);
    expect(Object.keys((await secret('evolving'))!.data!).sort()).toEqual([
      'password',
      'user',
    ]);
    expect((await readExternalSecret('evolving')).status).toMatchObject({
      syncedResourceVersion: expect.stringMatching(/^2-/),
    });
  });

  describe('creation policies', () => {
    it('should own the Secret with Owner, pointing at the real ExternalSecret uid', async () => {
      await admin.create(clusterStore(store, BOTH_KEYS));
      const es = await admin.create(
        externalSecret('owned', { creationPolicy: 'Owner' }),
      );
      await (await start()).runCycle();
      expect((await secret('owned'))!.metadata!.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'ExternalSecret',
          name: 'owned',
          uid: es.metadata.uid,
          controller: true,
        }),
      ]);
    });

    it('should create an Orphan Secret without an ownerReference', async () => {
      await admin.create(clusterStore(store, BOTH_KEYS));
      await admin.create(
        externalSecret('orphan', { creationPolicy: 'Orphan' }),
      );
      await (await start()).runCycle();
      const created = await secret('orphan');
      expect(created!.data).toEqual({
        password: b64(CANARY),
        user: b64('app'),
      });
      expect(created!.metadata!.ownerReferences).toBeUndefined();
    });

    it('should merge into an existing Secret, keeping its other keys and labels', async () => {
      await admin.create(clusterStore(store, BOTH_KEYS));
      await admin.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'shared',
          namespace: ns,
          labels: { team: 'payments' },
        },
        type: 'Opaque',
        data: { tls: b64('cert') },
      });
      await admin.create(externalSecret('shared', { creationPolicy: 'Merge' }));
      await (await start()).runCycle();
      const merged = await secret('shared');
      expect(merged!.data).toEqual({
        tls: b64('cert'),
        password: b64(CANARY),
        user: b64('app'),
      });
      expect(merged!.metadata!.labels).toMatchObject({ team: 'payments' });
    });

    it('should wait, not create, when the Merge target is missing', async () => {
      await admin.create(clusterStore(store, BOTH_KEYS));
      await admin.create(externalSecret('absent', { creationPolicy: 'Merge' }));
      const b = await start();
      const checkpoint = await audit.checkpoint();
      await b.runCycle();
      expect(await secret('absent')).toBeUndefined();
      expect(
        (await audit.writesBy(env.pluginUser, checkpoint)).filter(
          e => e.objectRef?.resource === 'secrets',
        ),
      ).toEqual([]);
      expect((await b.status(app))[0]).toMatchObject({
        state: 'Pending',
        reason: 'SecretMissing',
      });
    });
  });

  describe('deletion policies', () => {
    it.each([
      ['Retain', ['password', 'user']],
      ['Merge', ['password']],
    ])(
      'should apply deletionPolicy %s when the store proves a key is gone',
      async (deletionPolicy, keys) => {
        await admin.create(clusterStore(store, BOTH_KEYS));
        await admin.create(externalSecret('db', { deletionPolicy }));
        const b = await start();
        await b.runCycle();

        await setStoreData([{ key: 'DB_PASSWORD', value: CANARY }]);
        await tick();
        await b.runCycle();

        expect(Object.keys((await secret('db'))!.data!).sort()).toEqual(keys);
      },
    );

    it('should delete the Secret with deletionPolicy Delete once every key is gone', async () => {
      await admin.create(clusterStore(store, BOTH_KEYS));
      await admin.create(externalSecret('db', { deletionPolicy: 'Delete' }));
      const b = await start();
      await b.runCycle();
      await setStoreData([{ key: 'DB_PASSWORD', value: CANARY }]);
      await tick();
      await b.runCycle();
      expect(await secret('db')).toBeDefined();

      await setStoreData([]);
      const checkpoint = await audit.checkpoint();
      await tick();
      await b.runCycle();

      expect(await secret('db')).toBeUndefined();
      expect(
        (await audit.writesBy(env.pluginUser, checkpoint))
          .filter(e => e.objectRef?.resource === 'secrets')
          .map(describeEvent),
      ).toEqual(['delete secrets db 200']);
    });
  });

  it('should observe with a read-only account: no writes, state taken from the status ESO wrote', async () => {
    await admin.create(clusterStore(store, BOTH_KEYS));
    await admin.create(externalSecret('observed'));
    await admin.create(externalSecret('missing-target'));
    // Refreshed just now: an old refreshTime is reported stale (issue #17 item 21).
    const justNow = new Date(Math.floor(Date.now() / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    const readyStatus = {
      refreshTime: justNow,
      syncedResourceVersion: '1-0123abcd',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'SecretSynced',
          message: 'secret synced',
          lastTransitionTime: justNow,
        },
      ],
    };
    await admin.replaceExternalSecretStatus(ns, 'observed', readyStatus);
    await admin.replaceExternalSecretStatus(ns, 'missing-target', readyStatus);
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'observed', namespace: ns },
      data: { password: b64(CANARY) },
    });
    const observer = await admin.serviceAccountToken(ns, OBSERVE_RULES);
    const b = await start({
      cluster: { mode: 'observe', serviceAccountToken: observer.token },
    });
    const checkpoint = await audit.checkpoint();

    await b.runCycle();

    const rows = await b.status(app);
    expect(rows.find(r => r.name === 'observed')).toMatchObject({
      mode: 'observe',
      state: 'Synced',
      message: 'secret synced',
    });
    expect(rows.find(r => r.name === 'missing-target')).toMatchObject({
      // ESO's Ready=True with the target not visible yet: waiting (issue #17 item 21).
      mode: 'observe',
      state: 'Pending',
      reason: 'WaitingForTarget',
    });
    const events = (await audit.since(checkpoint)).filter(
      e => e.user.username === observer.user,
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter(e => e.responseStatus?.code === 403)).toEqual([]);
    expect([...new Set(events.map(e => e.verb))].sort()).toEqual([
      'get',
      'list',
    ]);
  });

  it('should retry a real 409 from a concurrent writer from a fresh read', async () => {
    // A provider that lets another writer change the Secret while the cycle
    // reads the store: after the cycle listed the Secret, before it writes.
    const racing = {
      values: { DB_PASSWORD: 'v1', DB_USER: 'app' } as Record<string, string>,
      beforeRead: undefined as undefined | (() => Promise<unknown>),
    };
    const fake = createFakeProvider();
    const racingProvider: SecretsProvider = {
      ...fake,
      name: 'racing',
      validateStoreSpec: () => [],
      // Validated before its first reads (ESO's flood gate): in memory, always valid.
      validateStore: async () => ({
        ready: true,
        reason: 'Valid',
        message: 'store validated',
      }),
      async newClient(secretStore, context) {
        const inner = await fake.newClient(
          {
            ...secretStore,
            spec: {
              ...secretStore.spec,
              provider: {
                fake: {
                  data: Object.entries(racing.values).map(([key, value]) => ({
                    key,
                    value,
                  })),
                },
              },
            },
          },
          context,
        );
        // The other writer acts on the first read, whichever way the cycle reads.
        const race = async () => {
          const hook = racing.beforeRead;
          racing.beforeRead = undefined;
          await hook?.();
        };
        return {
          getSecret: async ref => race().then(() => inner.getSecret(ref)),
          findSecrets: async find => race().then(() => inner.findSecrets(find)),
          readScope: async () => race().then(() => inner.readScope!()),
          close: () => inner.close(),
        };
      },
    };
    const racingModule = createBackendModule({
      pluginId: 'external-secrets',
      moduleId: 'racing-provider',
      register(reg) {
        reg.registerInit({
          deps: { providers: externalSecretsProvidersExtensionPoint },
          async init({ providers }) {
            providers.addProvider(racingProvider);
          },
        });
      },
    });
    // A store declared in app-config: a CR with provider "racing" would be
    // pruned by ESO's CRD schema.
    await admin.create(
      externalSecret('contended', {}, undefined, {
        kind: 'ClusterSecretStore',
        name: 'racing-store',
      }),
    );
    const b = await start({
      extraFeatures: [racingModule],
      config: {
        stores: [
          {
            kind: 'ClusterSecretStore',
            metadata: { name: 'racing-store' },
            spec: { provider: { racing: {} } },
          },
        ],
      },
    });
    await b.runCycle();
    expect(text(await secret('contended'), 'password')).toBe('v1');

    racing.values.DB_PASSWORD = 'v2';
    racing.beforeRead = () =>
      admin.update<TestObject>(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'contended', namespace: ns },
        },
        current => ({
          ...current,
          metadata: {
            ...current.metadata,
            annotations: {
              ...current.metadata.annotations,
              'touched-by': 'other-writer',
            },
          },
        }),
      );
    const checkpoint = await audit.checkpoint();
    await tick();
    await b.runCycle();

    expect(racing.beforeRead).toBeUndefined();
    expect(text(await secret('contended'), 'password')).toBe('v2');
    expect(
      (await audit.writesBy(env.pluginUser, checkpoint))
        .filter(e => e.objectRef?.resource === 'secrets')
        .map(describeEvent),
    ).toEqual(['update secrets contended 409', 'update secrets contended 200']);
    expect((await b.status(app))[0]).toMatchObject({ state: 'Synced' });
  });

  it('should report a 403 clearly when the account may not update Secrets, and leave the Secret as it was', async () => {
    await admin.create(clusterStore(store, BOTH_KEYS));
    await admin.create(externalSecret('guarded'));
    const limited = await admin.serviceAccountToken(
      ns,
      rulesWithout('', 'secrets', 'update'),
    );
    const b = await start({ cluster: { serviceAccountToken: limited.token } });
    await b.runCycle();
    expect(text(await secret('guarded'), 'password')).toBe(CANARY);

    await setStoreData([
      { key: 'DB_PASSWORD', value: 'rotated' },
      { key: 'DB_USER', value: 'app' },
    ]);
    await tick();
    await b.runCycle();

    expect(text(await secret('guarded'), 'password')).toBe(CANARY);
    const row = (await b.status(app))[0];
    expect(row.state).toBe('Error');
    expect(row.message).toContain(
      `could not write Secret ${ns}/guarded: Cluster 'kube-test-env': update secrets "guarded" in namespace "${ns}" failed with HTTP 403 Forbidden`,
    );
    expect(row.message).toContain(
      `The service account lacks "update" on "secrets" (API group "") in namespace "${ns}".`,
    );
    const es = await readExternalSecret('guarded');
    expect(es.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'False',
        reason: 'SecretSyncedError',
        message: expect.stringContaining('HTTP 403 Forbidden'),
      }),
    ]);
    expect(JSON.stringify([row, es.status])).not.toContain(CANARY);
  });
});
