import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from './startKubernetesSimulator';

const ESO_OBJECTS = readFileSync(
  resolve(__dirname, '__fixtures__/eso-objects.yaml'),
  'utf8',
);
const ES_PATH =
  '/apis/external-secrets.io/v1/namespaces/team-a/externalsecrets';
const SECRETS_PATH = '/api/v1/namespaces/team-a/secrets';
const META_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const META_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const CANARY = 'canary-value-7f3a9';

type CallOptions = {
  body?: unknown;
  accept?: string;
  contentType?: string;
  token?: string | null;
};

describe('startKubernetesSimulator', () => {
  let sim: KubernetesSimulator;

  beforeAll(async () => {
    sim = await startKubernetesSimulator({ token: 'test-token' });
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(() => {
    sim.reset();
    sim.seedYaml(ESO_OBJECTS);
  });

  async function call(method: string, path: string, options: CallOptions = {}) {
    const headers: Record<string, string> = {};
    if (options.token !== null) {
      headers.Authorization = `Bearer ${options.token ?? sim.token}`;
    }
    if (options.accept) headers.Accept = options.accept;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      body: await response.json(),
    };
  }

  function secret(name: string, data: Record<string, string>) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'team-a' },
      data,
    };
  }

  describe('authentication', () => {
    it('should answer 401 with an Unauthorized Status without the bearer token', async () => {
      const response = await call('GET', SECRETS_PATH, { token: null });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({
        kind: 'Status',
        reason: 'Unauthorized',
        code: 401,
      });
    });

    it('should answer 401 for a wrong token', async () => {
      const response = await call('GET', SECRETS_PATH, { token: 'wrong' });
      expect(response.status).toBe(401);
    });

    it('should accept anonymous requests when started like kubectl proxy', async () => {
      const proxy = await startKubernetesSimulator({ allowAnonymous: true });
      try {
        const response = await fetch(`${proxy.url}/api/v1/namespaces`);
        expect(response.status).toBe(200);
      } finally {
        await proxy.stop();
      }
    });
  });

  describe('secrets', () => {
    it('should create a Secret with server-owned metadata, stringData folded into data and type Opaque', async () => {
      const created = await call('POST', SECRETS_PATH, {
        body: {
          ...secret('db', { user: Buffer.from('app').toString('base64') }),
          stringData: { password: CANARY },
        },
      });
      expect(created.status).toBe(201);
      expect(created.body.metadata).toMatchObject({
        name: 'db',
        namespace: 'team-a',
        uid: expect.any(String),
        resourceVersion: expect.any(String),
        creationTimestamp: expect.stringMatching(/Z$/),
      });
      expect(created.body.type).toBe('Opaque');
      expect(created.body.stringData).toBeUndefined();
      expect(created.body.data).toEqual({
        user: 'YXBw',
        password: Buffer.from(CANARY).toString('base64'),
      });
    });

    it('should refuse a create in a namespace that does not exist', async () => {
      const response = await call(
        'POST',
        '/api/v1/namespaces/nowhere/secrets',
        {
          body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' } },
        },
      );
      expect(response.status).toBe(404);
      expect(response.body.message).toBe('namespaces "nowhere" not found');
    });

    it('should answer 409 AlreadyExists for a second create', async () => {
      await call('POST', SECRETS_PATH, { body: secret('db', {}) });
      const again = await call('POST', SECRETS_PATH, {
        body: secret('db', {}),
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        reason: 'AlreadyExists',
        message: 'secrets "db" already exists',
        details: { name: 'db', kind: 'secrets' },
      });
    });

    it('should refuse a create that carries a resourceVersion, as the storage layer does', async () => {
      const body = secret('db', {});
      const response = await call('POST', SECRETS_PATH, {
        body: { ...body, metadata: { ...body.metadata, resourceVersion: '7' } },
      });
      expect(response.status).toBe(500);
      expect(response.body.message).toContain(
        'resourceVersion should not be set on objects to be created',
      );
    });

    it('should increment resourceVersion on every write and answer 409 Conflict for a stale one', async () => {
      const created = await call('POST', SECRETS_PATH, {
        body: secret('db', { a: 'MQ==' }),
      });
      const staleVersion = created.body.metadata.resourceVersion;
      const updated = await call('PUT', `${SECRETS_PATH}/db`, {
        body: { ...created.body, data: { a: 'Mg==' } },
      });
      expect(updated.status).toBe(200);
      expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(staleVersion),
      );
      const stale = await call('PUT', `${SECRETS_PATH}/db`, {
        body: { ...created.body, data: { a: 'Mw==' } },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on secrets "db": the object has been modified; please apply your changes to the latest version and try again',
      });
      expect(
        sim.get({ kind: 'Secret', namespace: 'team-a', name: 'db' })?.data,
      ).toEqual({ a: 'Mg==' });
    });

    it('should keep the resourceVersion for a write that changes nothing', async () => {
      const created = await call('POST', SECRETS_PATH, {
        body: secret('db', { a: 'MQ==' }),
      });
      const same = await call('PUT', `${SECRETS_PATH}/db`, {
        body: created.body,
      });
      expect(same.body.metadata.resourceVersion).toBe(
        created.body.metadata.resourceVersion,
      );
    });

    it('should allow an unconditional update of a Secret (no resourceVersion)', async () => {
      await call('POST', SECRETS_PATH, { body: secret('db', { a: 'MQ==' }) });
      const updated = await call('PUT', `${SECRETS_PATH}/db`, {
        body: secret('db', { a: 'Mg==' }),
      });
      expect(updated.status).toBe(200);
      expect(updated.body.data).toEqual({ a: 'Mg==' });
    });

    it('should answer 422 with one cause per invalid key, naming the key and not the value', async () => {
      const response = await call('POST', SECRETS_PATH, {
        body: secret('db', {
          'bad key': Buffer.from(CANARY).toString('base64'),
          'ok.key': 'MQ==',
        }),
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        reason: 'Invalid',
        details: {
          name: 'db',
          kind: 'Secret',
          causes: [{ reason: 'FieldValueInvalid', field: 'data[bad key]' }],
        },
      });
      expect(response.body.message).toMatch(
        /^Secret "db" is invalid: data\[bad key\]: Invalid value: "bad key"/,
      );
      expect(JSON.stringify(response.body)).not.toContain(CANARY);
      expect(JSON.stringify(response.body)).not.toContain(
        Buffer.from(CANARY).toString('base64'),
      );
    });

    it('should answer 400 for data that is not base64, without echoing it', async () => {
      const response = await call('POST', SECRETS_PATH, {
        body: secret('db', { a: `${CANARY}!` }),
      });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('illegal base64 data in data[a]');
      expect(response.body.message).not.toContain(CANARY);
    });

    it('should refuse a Secret above 1 MiB', async () => {
      const big = Buffer.alloc(1024 * 1024 + 1, 1).toString('base64');
      const response = await call('POST', SECRETS_PATH, {
        body: secret('db', { big }),
      });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain(
        'data: Too long: must have at most 1048576 bytes',
      );
    });

    it('should refuse changing the data of an immutable Secret but accept relabelling it', async () => {
      const created = await call('POST', SECRETS_PATH, {
        body: { ...secret('db', { a: 'MQ==' }), immutable: true },
      });
      const changed = await call('PUT', `${SECRETS_PATH}/db`, {
        body: { ...created.body, data: { a: 'Mg==' } },
      });
      expect(changed.status).toBe(422);
      expect(changed.body.message).toContain(
        'data: Forbidden: field is immutable when `immutable` is set',
      );
      const relabelled = await call('PUT', `${SECRETS_PATH}/db`, {
        body: {
          ...created.body,
          metadata: { ...created.body.metadata, labels: { a: 'b' } },
        },
      });
      expect(relabelled.status).toBe(200);
    });

    it('should refuse a label value longer than 63 characters', async () => {
      const body = secret('db', {});
      const response = await call('POST', SECRETS_PATH, {
        body: {
          ...body,
          metadata: { ...body.metadata, labels: { a: 'x'.repeat(64) } },
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.details.causes[0].field).toBe('metadata.labels');
    });

    it('should delete with a resourceVersion precondition and answer 409 when it is stale', async () => {
      const created = await call('POST', SECRETS_PATH, {
        body: secret('db', {}),
      });
      const stale = await call('DELETE', `${SECRETS_PATH}/db`, {
        body: { preconditions: { resourceVersion: '1' } },
      });
      expect(stale.status).toBe(409);
      expect(stale.body.message).toContain(
        'Precondition failed: ResourceVersion in precondition: 1',
      );
      const deleted = await call('DELETE', `${SECRETS_PATH}/db`, {
        body: {
          preconditions: {
            resourceVersion: created.body.metadata.resourceVersion,
          },
        },
      });
      expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success' });
      const gone = await call('GET', `${SECRETS_PATH}/db`);
      expect(gone.status).toBe(404);
      expect(gone.body.message).toBe('secrets "db" not found');
    });
  });

  describe('lists and label selectors', () => {
    it.each([
      ['backstage.io/kubernetes-id=web', ['web-db']],
      ['backstage.io/kubernetes-id==api', ['api-token']],
      ['backstage.io/kubernetes-id!=web', ['api-token']],
      ['backstage.io/kubernetes-id in (web,api)', ['api-token', 'web-db']],
      ['backstage.io/kubernetes-id notin (web)', ['api-token']],
      ['backstage.io/kubernetes-id', ['api-token', 'web-db']],
      ['!backstage.io/kubernetes-id', []],
    ])('should list ExternalSecrets matching %j', async (selector, names) => {
      const response = await call(
        'GET',
        `${ES_PATH}?labelSelector=${encodeURIComponent(selector)}`,
      );
      expect(response.status).toBe(200);
      expect(
        response.body.items.map(
          (i: { metadata: { name: string } }) => i.metadata.name,
        ),
      ).toEqual(names);
    });

    it('should answer 400 for a label selector it cannot parse', async () => {
      const response = await call('GET', `${ES_PATH}?labelSelector=a%20in%20b`);
      expect(response.status).toBe(400);
      expect(response.body.reason).toBe('BadRequest');
    });

    it('should list across namespaces at the cluster-wide path', async () => {
      const response = await call(
        'GET',
        '/apis/external-secrets.io/v1/externalsecrets',
      );
      expect(
        response.body.items.map(
          (i: { metadata: { namespace: string; name: string } }) =>
            `${i.metadata.namespace}/${i.metadata.name}`,
        ),
      ).toEqual(['team-a/api-token', 'team-a/web-db', 'team-b/worker-db']);
    });

    it('should keep kind on custom resource list items and drop it on built-in ones, like the apiserver', async () => {
      await call('POST', SECRETS_PATH, { body: secret('db', {}) });
      const secrets = await call('GET', SECRETS_PATH);
      const externalSecrets = await call('GET', ES_PATH);
      expect(secrets.body).toMatchObject({
        kind: 'SecretList',
        apiVersion: 'v1',
      });
      expect(secrets.body.items[0].kind).toBeUndefined();
      expect(externalSecrets.body.kind).toBe('ExternalSecretList');
      expect(externalSecrets.body.items[0].kind).toBe('ExternalSecret');
    });

    it('should page with limit and continue', async () => {
      const first = await call(
        'GET',
        '/apis/external-secrets.io/v1/externalsecrets?limit=2',
      );
      expect(first.body.items).toHaveLength(2);
      expect(first.body.metadata.remainingItemCount).toBe(1);
      const second = await call(
        'GET',
        `/apis/external-secrets.io/v1/externalsecrets?limit=2&continue=${first.body.metadata.continue}`,
      );
      expect(second.body.items.map((i: any) => i.metadata.name)).toEqual([
        'worker-db',
      ]);
      expect(second.body.metadata.continue).toBeUndefined();
    });

    it('should list cluster-scoped ClusterSecretStores', async () => {
      const response = await call(
        'GET',
        '/apis/external-secrets.io/v1/clustersecretstores',
      );
      expect(response.body.items).toHaveLength(1);
      expect(response.body.items[0].metadata.namespace).toBeUndefined();
    });
  });

  describe('PartialObjectMetadata', () => {
    beforeEach(() => {
      sim.seed({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'team-a', labels: { a: 'b' } },
        stringData: { password: CANARY },
      });
    });

    it('should answer a get with metadata only when asked through Accept', async () => {
      const response = await call('GET', `${SECRETS_PATH}/db`, {
        accept: META_ACCEPT,
      });
      expect(response.contentType).toBe(META_ACCEPT);
      expect(response.body).toEqual({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: expect.objectContaining({ name: 'db', labels: { a: 'b' } }),
      });
      expect(JSON.stringify(response.body)).not.toContain(
        Buffer.from(CANARY).toString('base64'),
      );
    });

    it('should answer a list with a PartialObjectMetadataList', async () => {
      const response = await call('GET', SECRETS_PATH, {
        accept: META_LIST_ACCEPT,
      });
      expect(response.body.kind).toBe('PartialObjectMetadataList');
      expect(response.body.items).toEqual([
        {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: expect.objectContaining({ name: 'db' }),
        },
      ]);
      expect(response.body.items[0].data).toBeUndefined();
      expect(JSON.stringify(response.body)).not.toContain(
        Buffer.from(CANARY).toString('base64'),
      );
    });

    it('should answer 406 when the as= does not fit the request and there is no fallback', async () => {
      const response = await call('GET', SECRETS_PATH, { accept: META_ACCEPT });
      expect(response.status).toBe(406);
    });

    it('should fall back to the full object when the client lists application/json after it', async () => {
      const response = await call('GET', SECRETS_PATH, {
        accept: `${META_ACCEPT}, application/json`,
      });
      expect(response.body.kind).toBe('SecretList');
    });
  });

  describe('custom resources and the status subresource', () => {
    it('should change only status through PUT /status', async () => {
      const current = await call('GET', `${ES_PATH}/web-db`);
      const response = await call('PUT', `${ES_PATH}/web-db/status`, {
        body: {
          ...current.body,
          spec: { ...current.body.spec, refreshInterval: '5m' },
          metadata: { ...current.body.metadata, labels: { changed: 'yes' } },
          status: { refreshTime: '2026-02-02T00:00:00Z' },
        },
      });
      expect(response.status).toBe(200);
      expect(response.body.status).toEqual({
        refreshTime: '2026-02-02T00:00:00Z',
      });
      expect(response.body.spec.refreshInterval).toBe('1h');
      expect(response.body.metadata.labels).toEqual({
        'backstage.io/kubernetes-id': 'web',
      });
      expect(response.body.metadata.generation).toBe(
        current.body.metadata.generation,
      );
    });

    it('should ignore status in a main PUT and bump generation only when the spec changes', async () => {
      const current = await call('GET', `${ES_PATH}/web-db`);
      const relabelled = await call('PUT', `${ES_PATH}/web-db`, {
        body: {
          ...current.body,
          metadata: { ...current.body.metadata, labels: { x: 'y' } },
          status: { refreshTime: 'ignored' },
        },
      });
      expect(relabelled.body.metadata.generation).toBe(1);
      expect(relabelled.body.status).toEqual(current.body.status);
      const respecced = await call('PUT', `${ES_PATH}/web-db`, {
        body: {
          ...relabelled.body,
          spec: { ...relabelled.body.spec, refreshInterval: '5m' },
        },
      });
      expect(respecced.body.metadata.generation).toBe(2);
    });

    it('should answer 422 for a custom resource update without resourceVersion', async () => {
      const current = await call('GET', `${ES_PATH}/web-db`);
      const { resourceVersion: _rv, ...metadata } = current.body.metadata;
      const response = await call('PUT', `${ES_PATH}/web-db/status`, {
        body: { ...current.body, metadata },
      });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain(
        'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
      );
    });

    it('should drop status sent with a create', async () => {
      const current = await call('GET', `${ES_PATH}/web-db`);
      const response = await call('POST', ES_PATH, {
        body: {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: 'copy' },
          spec: current.body.spec,
          status: current.body.status,
        },
      });
      expect(response.status).toBe(201);
      expect(response.body.status).toBeUndefined();
      expect(response.body.metadata.generation).toBe(1);
    });

    it('should merge-patch annotations, removing the ones set to null, without touching generation', async () => {
      sim.seed({
        ...sim.get({
          kind: 'ExternalSecret',
          namespace: 'team-a',
          name: 'web-db',
        })!,
        metadata: {
          name: 'web-db',
          namespace: 'team-a',
          annotations: { keep: '1', drop: '2' },
        },
      });
      const response = await call('PATCH', `${ES_PATH}/web-db`, {
        contentType: 'application/merge-patch+json',
        body: {
          metadata: { annotations: { 'force-sync': '123', drop: null } },
        },
      });
      expect(response.status).toBe(200);
      expect(response.body.metadata.annotations).toEqual({
        keep: '1',
        'force-sync': '123',
      });
      expect(response.body.metadata.generation).toBe(1);
    });

    it('should answer 415 for a patch type it does not implement', async () => {
      const response = await call('PATCH', `${ES_PATH}/web-db`, {
        contentType: 'application/strategic-merge-patch+json',
        body: { metadata: { annotations: { a: 'b' } } },
      });
      expect(response.status).toBe(415);
    });

    it('should answer 404 for a status subresource of a built-in resource', async () => {
      const response = await call('PUT', `${SECRETS_PATH}/db/status`, {
        body: {},
      });
      expect(response.status).toBe(404);
      expect(response.body.message).toBe(
        'the server could not find the requested resource',
      );
    });
  });

  describe('namespaces', () => {
    it('should label namespaces with kubernetes.io/metadata.name like the apiserver', async () => {
      const response = await call('GET', '/api/v1/namespaces/team-a');
      expect(response.body.metadata.labels).toEqual({
        team: 'a',
        'kubernetes.io/metadata.name': 'team-a',
      });
    });

    it('should create namespaces for seeded objects on demand', () => {
      expect(sim.get({ kind: 'Namespace', name: 'team-b' })).toBeDefined();
    });
  });

  describe('fault injection', () => {
    it('should answer 403 worded like the RBAC authorizer, for the given count only', async () => {
      sim.injectFault({
        verb: 'get',
        resource: 'secrets',
        status: 403,
        times: 1,
      });
      sim.seed(secret('db', {}));
      const denied = await call('GET', `${SECRETS_PATH}/db`);
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe(
        'secrets "db" is forbidden: User "system:serviceaccount:backstage:backstage" cannot get resource "secrets" in API group "" in the namespace "team-a"',
      );
      const allowed = await call('GET', `${SECRETS_PATH}/db`);
      expect(allowed.status).toBe(200);
    });

    it('should name the subresource and the cluster scope in a 403', async () => {
      sim.injectFault({ status: 403 });
      const status = await call('PUT', `${ES_PATH}/web-db/status`, {
        body: {},
      });
      expect(status.body.message).toContain(
        'cannot update resource "externalsecrets/status" in API group "external-secrets.io" in the namespace "team-a"',
      );
      const stores = await call(
        'GET',
        '/apis/external-secrets.io/v1/clustersecretstores',
      );
      expect(stores.body.message).toBe(
        'clustersecretstores.external-secrets.io is forbidden: User "system:serviceaccount:backstage:backstage" cannot list resource "clustersecretstores" in API group "external-secrets.io" at the cluster scope',
      );
    });

    it('should answer 503 with Retry-After and 500 with an InternalError', async () => {
      sim.injectFault({
        verb: 'list',
        status: 503,
        retryAfterSeconds: 3,
        times: 1,
      });
      sim.injectFault({ verb: 'list', status: 500, times: 1 });
      const unavailable = await call('GET', ES_PATH);
      expect(unavailable.status).toBe(503);
      expect(unavailable.retryAfter).toBe('3');
      const failed = await call('GET', ES_PATH);
      expect(failed.body.reason).toBe('InternalError');
      const ok = await call('GET', ES_PATH);
      expect(ok.status).toBe(200);
    });

    it('should delay a matching request by the given latency', async () => {
      sim.injectFault({
        verb: 'list',
        resource: 'externalsecrets',
        latencyMs: 150,
      });
      const started = Date.now();
      const response = await call('GET', ES_PATH);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe('request log', () => {
    it('should record verb, resource, path and accept of every request, never the body', async () => {
      sim.clearRequests();
      await call('POST', SECRETS_PATH, {
        body: { ...secret('db', {}), stringData: { password: CANARY } },
      });
      await call('GET', `${SECRETS_PATH}/db`, { accept: META_ACCEPT });
      expect(sim.requests).toEqual([
        expect.objectContaining({
          method: 'POST',
          verb: 'create',
          resource: 'secrets',
          namespace: 'team-a',
          path: SECRETS_PATH,
          status: 201,
        }),
        expect.objectContaining({
          verb: 'get',
          name: 'db',
          accept: META_ACCEPT,
          status: 200,
        }),
      ]);
      expect(JSON.stringify(sim.requests)).not.toContain(CANARY);
    });
  });

  describe('kubeconfig', () => {
    it('should describe the simulator with its URL and token', () => {
      const text = sim.kubeconfig({ context: 'dev' });
      expect(text).toContain(`server: ${sim.url}`);
      expect(text).toContain(`token: ${sim.token}`);
      expect(text).toContain('current-context: dev');
    });
  });
});
