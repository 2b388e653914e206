import { createMockDirectory } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import { localFileUrlReaderFactory } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

const CANARY = 'canary-broken-manifest-3b7f';
const STATUS =
  '/api/external-secrets/entities/component/default/orders-service/status';

/** The seed manifest's shape, one line per field so a test can break one line. */
const MANIFEST_LINES = [
  'apiVersion: external-secrets.io/v1', // 1
  'kind: ExternalSecret', // 2
  'metadata:', // 3
  '  name: my-secret', // 4
  '  namespace: my-namespace', // 5
  'spec:', // 6
  '  refreshInterval: 1h', // 7
  '  secretStoreRef:', // 8
  '    name: infisical-archon-platform', // 9
  '    kind: ClusterSecretStore', // 10
  '  target:', // 11
  '    name: my-secret', // 12
  '  data:', // 13
  '    - secretKey: api-key', // 14
  '      remoteRef:', // 15
  '        key: MY_SECRET_NAME', // 16
  '    - secretKey: username', // 17
  '      remoteRef:', // 18
  '        key: DB_USER', // 19
];

function manifest(edits: Record<number, string> = {}): string {
  return `${MANIFEST_LINES.map((line, i) => edits[i + 1] ?? line).join(
    '\n',
  )}\n`;
}

/**
 * What a user sees on the card when a declared manifest breaks: the
 * ExternalSecret keeps its name, store and mappings, and the message names the
 * broken field or line (issue #19 item 7).
 */
describe('broken declared manifests', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;
  const dir = createMockDirectory();

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(() => {
    sim.reset();
    sim.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'my-namespace' },
    });
    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'infisical-archon-platform' },
      spec: {
        provider: {
          fake: {
            data: [
              { key: 'MY_SECRET_NAME', value: CANARY },
              { key: 'DB_USER', value: `${CANARY}-user` },
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

  async function start(text: string) {
    dir.setContent({
      'catalog-info.yaml': 'kind: Component',
      'kubernetes/es.yaml': text,
    });
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders-service',
        namespace: 'default',
        annotations: {
          'external-secrets.io/manifests': './kubernetes/es.yaml',
          'backstage.io/managed-by-location': `file:${dir.resolve(
            'catalog-info.yaml',
          )}`,
        },
      },
      spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    };
    backend = await startReconcilerTestBackend({
      sim,
      entities: [entity],
      config: {
        manifests: {
          clusters: [
            { name: 'test', allow: [{ namespaces: ['my-namespace'] }] },
          ],
        },
      },
      extraFeatures: [localFileUrlReaderFactory(() => [dir.path])],
    });
    return backend;
  }

  async function statusAfterCycle(b: ReconcilerTestBackend) {
    await b.runCycle();
    const res = await request(b.server).get(STATUS);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(CANARY);
    return res.body.externalSecrets;
  }

  it('should keep the name, store and mappings of a manifest with a YAML syntax error, and name the line that was edited', async () => {
    const b = await start(manifest());
    await statusAfterCycle(b);
    // Over-indenting line 15 makes the yaml parser report line 14, where the
    // implicit key starts.
    dir.addContent({
      'kubernetes/es.yaml': manifest({ 15: '        remoteRef:' }),
    });

    const [es, ...others] = await statusAfterCycle(b);

    expect(others).toEqual([]);
    expect(es).toMatchObject({
      name: 'my-secret',
      namespace: 'my-namespace',
      state: 'Error',
      store: { name: 'infisical-archon-platform' },
    });
    expect(es.message).toMatch(/line 14, column \d+ to line 15/);
    expect(es.keys).toContainEqual(
      expect.objectContaining({ secretKey: 'username', remoteKey: 'DB_USER' }),
    );
  });

  it('should keep the store of a manifest with an invalid refreshInterval and name the field', async () => {
    const [es] = await statusAfterCycle(
      await start(manifest({ 7: '  refreshInterval: every hour' })),
    );

    expect(es.state).toBe('Error');
    expect(es.store).toMatchObject({ name: 'infisical-archon-platform' });
    expect(es.message).toContain('refreshInterval');
    expect(es.keys.map((k: { secretKey?: string }) => k.secretKey)).toEqual([
      'api-key',
      'username',
    ]);
  });

  it('should show an invalid entry by its remote key, as an invalid spec rather than a provider failure', async () => {
    const [es] = await statusAfterCycle(
      await start(manifest({ 17: '    - secretKey: user name' })),
    );

    expect(es.state).toBe('Error');
    expect(es.message).not.toContain('could not get secret data from provider');
    expect(es.message).toContain('invalid ExternalSecret spec');
    expect(es.keys).toContainEqual(
      expect.objectContaining({
        secretKey: 'user name',
        remoteKey: 'DB_USER',
        state: 'error',
      }),
    );
  });

  it('should retry a fixed manifest at once instead of waiting out the backoff of the failing one', async () => {
    const b = await start(manifest({ 19: '        key: DB_USR' }));
    const [failing] = await statusAfterCycle(b);
    expect(failing.state).toBe('Error');
    expect(Date.parse(failing.nextDueAt)).toBeGreaterThan(Date.now());
    dir.addContent({ 'kubernetes/es.yaml': manifest() });

    const [fixed] = await statusAfterCycle(b);

    expect(fixed.state).toBe('Synced');
    expect(
      sim.get({ kind: 'Secret', namespace: 'my-namespace', name: 'my-secret' }),
    ).toBeDefined();
  });

  it('should record a forced sync that changes nothing as synced, not updated', async () => {
    const b = await start(manifest());
    await statusAfterCycle(b);
    const sync = await request(b.server)
      .post(
        '/api/external-secrets/entities/component/default/orders-service/sync',
      )
      .send({});
    expect(sync.status).toBe(202);

    const [es] = await statusAfterCycle(b);

    expect(es.state).toBe('Synced');
    const events = await request(b.server).get(
      '/api/external-secrets/entities/component/default/orders-service/events',
    );
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
    ]);
  });

  it('should record a forced sync of an ExternalSecret CR that changes no data as synced, not updated', async () => {
    sim.seed({
      ...(parseYaml(manifest()) as object),
      metadata: {
        name: 'my-secret',
        namespace: 'my-namespace',
        labels: { 'backstage.io/kubernetes-id': 'orders' },
      },
    } as any);
    backend = await startReconcilerTestBackend({
      sim,
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'orders-service',
            namespace: 'default',
            annotations: { 'backstage.io/kubernetes-id': 'orders' },
          },
          spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
        },
      ],
    });
    await statusAfterCycle(backend);
    const sync = await request(backend.server)
      .post(
        '/api/external-secrets/entities/component/default/orders-service/sync',
      )
      .send({});
    expect(sync.status).toBe(202);

    const [es] = await statusAfterCycle(backend);

    expect(es.state).toBe('Synced');
    const events = await request(backend.server).get(
      '/api/external-secrets/entities/component/default/orders-service/events',
    );
    // ESO copies the ExternalSecret's annotations (force-sync included) onto
    // the Secret, so its metadata is written; its data is not.
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      'synced',
      'created',
    ]);
    expect(events.body.events[0].message).toContain('data unchanged');
  });

  it('should advance the last attempt of a manifest that keeps failing the same way, on the tab and the admin page, and let a sync-now land', async () => {
    const b = await start(manifest({ 7: '  refreshInterval: every hour' }));
    const [first] = await statusAfterCycle(b);
    expect(first.state).toBe('Error');
    const sync = await request(b.server)
      .post(
        '/api/external-secrets/entities/component/default/orders-service/sync',
      )
      .send({});
    expect(sync.status).toBe(202);
    await new Promise(resolve => setTimeout(resolve, 5));

    const [again] = await statusAfterCycle(b);

    // The page polls until lastAttemptAt passes the sync-now request.
    expect(Date.parse(again.lastAttemptAt)).toBeGreaterThan(
      Date.parse(first.lastAttemptAt),
    );
    const overview = await request(b.server).get(
      '/api/external-secrets/overview',
    );
    expect(overview.body.failing).toEqual([
      expect.objectContaining({
        externalSecret: expect.objectContaining({
          name: 'my-secret',
          lastAttemptAt: again.lastAttemptAt,
        }),
      }),
    ]);
  });

  it('should name a missing store once, not once per key', async () => {
    const [es] = await statusAfterCycle(
      await start(manifest({ 9: '    name: no-such-store' })),
    );

    expect(es.state).toBe('Error');
    expect(es.message.match(/no-such-store/g)).toHaveLength(1);
  });
});
