import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import { ClusterError } from './ClusterError';
import {
  FIELD_MANAGER,
  KubernetesClusterClient,
} from './KubernetesClusterClient';

const ESO_OBJECTS = readFileSync(
  resolve(__dirname, '../testUtils/kubernetes/__fixtures__/eso-objects.yaml'),
  'utf8',
);
const ES_PATH =
  '/apis/external-secrets.io/v1/namespaces/team-a/externalsecrets';
const CANARY = 'canary-secret-value-91c2';

function names(objects: { metadata: { name: string } }[]) {
  return objects.map(o => o.metadata.name);
}

async function rejection(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClusterError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('KubernetesClusterClient', () => {
  let sim: KubernetesSimulator;
  let client: KubernetesClusterClient;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });

  afterAll(async () => {
    await sim.stop();
  });

  function clientFor(options: { pageSize?: number } = {}) {
    return KubernetesClusterClient.fromConfig(
      {
        name: 'sim',
        connection: {
          type: 'serviceAccount',
          url: sim.url,
          token: SecretValue.fromString(sim.token),
          skipTLSVerify: false,
        },
      },
      options,
    );
  }

  beforeEach(() => {
    sim.reset();
    sim.seedYaml(ESO_OBJECTS);
    sim.seed({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'web-db',
        namespace: 'team-a',
        labels: { 'reconcile.external-secrets.io/managed': 'true' },
        annotations: { 'reconcile.external-secrets.io/data-hash': 'abc' },
        ownerReferences: [
          {
            apiVersion: 'external-secrets.io/v1',
            kind: 'ExternalSecret',
            name: 'web-db',
            uid: 'es-uid',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      type: 'Opaque',
      immutable: false,
      stringData: { password: CANARY, user: 'app' },
    });
    sim.clearRequests();
    client = clientFor();
  });

  describe('listExternalSecrets', () => {
    it('should list the whole cluster in one request when no namespace is given', async () => {
      const items = await client.listExternalSecrets();
      expect(names(items)).toEqual(['api-token', 'web-db', 'worker-db']);
      expect(sim.requests).toEqual([
        expect.objectContaining({
          verb: 'list',
          path: '/apis/external-secrets.io/v1/externalsecrets',
        }),
      ]);
    });

    it('should list one namespace', async () => {
      const items = await client.listExternalSecrets({ namespace: 'team-b' });
      expect(names(items)).toEqual(['worker-db']);
      expect(sim.requests[0].path).toBe(
        '/apis/external-secrets.io/v1/namespaces/team-b/externalsecrets',
      );
    });

    it.each([
      ['backstage.io/kubernetes-id=web', ['web-db']],
      ['backstage.io/kubernetes-id!=web', ['api-token', 'worker-db']],
      [
        'backstage.io/kubernetes-id in (api,worker)',
        ['api-token', 'worker-db'],
      ],
      ['backstage.io/kubernetes-id notin (api,worker)', ['web-db']],
      ['backstage.io/kubernetes-id', ['api-token', 'web-db', 'worker-db']],
      ['!backstage.io/kubernetes-id', []],
    ])(
      'should let the apiserver filter by %j',
      async (labelSelector, expected) => {
        const items = await client.listExternalSecrets({ labelSelector });
        expect(names(items)).toEqual(expected);
        expect(sim.requests[0].query.labelSelector).toBe(labelSelector);
      },
    );

    it('should return the raw objects, status included, for the ESO parser', async () => {
      const [webDb] = await client.listExternalSecrets({
        labelSelector: 'backstage.io/kubernetes-id=web',
      });
      expect(webDb).toMatchObject({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'web-db', namespace: 'team-a', generation: 1 },
        spec: { target: { name: 'web-db' } },
        status: { conditions: [{ type: 'Ready', reason: 'SecretSynced' }] },
      });
    });

    it('should follow continue tokens until the list is complete', async () => {
      const items = await clientFor({ pageSize: 2 }).listExternalSecrets();
      expect(names(items)).toEqual(['api-token', 'web-db', 'worker-db']);
      expect(sim.requests.map(r => r.query)).toEqual([
        { limit: '2' },
        { limit: '2', continue: expect.any(String) },
      ]);
    });
  });

  describe('listSecretStores and listClusterSecretStores', () => {
    it('should list SecretStores of a namespace and of all namespaces', async () => {
      expect(
        names(await client.listSecretStores({ namespace: 'team-a' })),
      ).toEqual(['team-store']);
      expect(names(await client.listSecretStores())).toEqual(['team-store']);
      expect(sim.requests.map(r => r.path)).toEqual([
        '/apis/external-secrets.io/v1/namespaces/team-a/secretstores',
        '/apis/external-secrets.io/v1/secretstores',
      ]);
    });

    it('should list the cluster-scoped ClusterSecretStores', async () => {
      const stores = await client.listClusterSecretStores();
      expect(stores).toEqual([
        expect.objectContaining({
          kind: 'ClusterSecretStore',
          metadata: expect.objectContaining({
            name: 'infisical-archon-platform',
          }),
        }),
      ]);
      expect(sim.requests[0].path).toBe(
        '/apis/external-secrets.io/v1/clustersecretstores',
      );
    });

    it('should say the ESO CRDs may be missing when a list answers 404', async () => {
      sim.injectFault({
        verb: 'list',
        resource: 'clustersecretstores',
        status: 404,
      });
      const error = await rejection(client.listClusterSecretStores());
      expect(error.errorType).toBe('NOT_FOUND');
      expect(error.details.hint).toBe(
        'Check that the External Secrets CRDs (external-secrets.io/v1) are installed in this cluster.',
      );
    });
  });

  describe('getSecret', () => {
    it('should return the whole Secret with its values in SecretValues', async () => {
      const secret = await client.getSecret('team-a', 'web-db');
      expect(secret).toEqual({
        metadata: {
          name: 'web-db',
          namespace: 'team-a',
          uid: expect.any(String),
          resourceVersion: expect.any(String),
          creationTimestamp: expect.stringMatching(/^\d{4}-.*Z$/),
          labels: { 'reconcile.external-secrets.io/managed': 'true' },
          annotations: { 'reconcile.external-secrets.io/data-hash': 'abc' },
          ownerReferences: [
            {
              apiVersion: 'external-secrets.io/v1',
              kind: 'ExternalSecret',
              name: 'web-db',
              uid: 'es-uid',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        type: 'Opaque',
        immutable: false,
        data: {
          password: expect.any(SecretValue),
          user: expect.any(SecretValue),
        },
      });
      expect(secret!.data.password.text()).toBe(CANARY);
      expect(JSON.stringify(secret)).not.toContain(CANARY);
    });

    it('should resolve undefined for a Secret that does not exist', async () => {
      await expect(client.getSecret('team-a', 'nope')).resolves.toBeUndefined();
    });
  });

  describe('listSecrets', () => {
    it('should list the managed Secrets of a namespace with their values in one request', async () => {
      sim.seed({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'unmanaged', namespace: 'team-a' },
        data: { other: Buffer.from('x').toString('base64') },
      });
      const secrets = await client.listSecrets({
        namespace: 'team-a',
        labelSelector: 'reconcile.external-secrets.io/managed=true',
      });
      expect(secrets.map(s => s.metadata.name)).toEqual(['web-db']);
      expect(Object.keys(secrets[0].data).sort()).toEqual(['password', 'user']);
      expect(
        secrets[0].data.password.equals(SecretValue.fromString(CANARY)),
      ).toBe(true);
      expect(sim.requests).toHaveLength(1);
      expect(sim.requests[0]).toMatchObject({
        verb: 'list',
        resource: 'secrets',
      });
    });
  });

  describe('listSecretsMetadata and getSecretMetadata', () => {
    it('should ask for PartialObjectMetadataList and never return values', async () => {
      const items = await client.listSecretsMetadata({ namespace: 'team-a' });
      expect(items).toEqual([
        expect.objectContaining({
          name: 'web-db',
          labels: { 'reconcile.external-secrets.io/managed': 'true' },
          annotations: { 'reconcile.external-secrets.io/data-hash': 'abc' },
          resourceVersion: expect.any(String),
        }),
      ]);
      expect(sim.requests[0].accept).toBe(
        'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      );
      expect(JSON.stringify(items)).not.toContain(
        Buffer.from(CANARY).toString('base64'),
      );
    });

    it('should filter by label selector', async () => {
      sim.seed({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'unmanaged', namespace: 'team-a' },
      });
      const managed = await client.listSecretsMetadata({
        namespace: 'team-a',
        labelSelector: 'reconcile.external-secrets.io/managed=true',
      });
      expect(names(managed.map(metadata => ({ metadata })))).toEqual([
        'web-db',
      ]);
    });

    it('should read one Secret as PartialObjectMetadata', async () => {
      const metadata = await client.getSecretMetadata('team-a', 'web-db');
      expect(metadata).toMatchObject({
        name: 'web-db',
        ownerReferences: [expect.objectContaining({ uid: 'es-uid' })],
      });
      expect(sim.requests[0].accept).toBe(
        'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      );
      expect(JSON.stringify(metadata)).not.toContain(
        Buffer.from(CANARY).toString('base64'),
      );
    });

    it('should resolve undefined for a missing Secret', async () => {
      await expect(
        client.getSecretMetadata('team-a', 'nope'),
      ).resolves.toBeUndefined();
    });
  });

  describe('createSecret', () => {
    it('should create the Secret with its metadata and values', async () => {
      const created = await client.createSecret({
        metadata: {
          name: 'api-token',
          namespace: 'team-a',
          labels: { 'reconcile.external-secrets.io/managed': 'true' },
          annotations: { 'reconcile.external-secrets.io/data-hash': 'h1' },
        },
        data: { token: SecretValue.fromString('t0ken') },
      });
      expect(created.metadata.resourceVersion).toBeDefined();
      const stored = sim.get({
        kind: 'Secret',
        namespace: 'team-a',
        name: 'api-token',
      });
      expect(stored).toMatchObject({
        type: 'Opaque',
        data: { token: Buffer.from('t0ken').toString('base64') },
        metadata: {
          labels: { 'reconcile.external-secrets.io/managed': 'true' },
          annotations: { 'reconcile.external-secrets.io/data-hash': 'h1' },
        },
      });
    });

    it('should not send a resourceVersion, which the apiserver refuses on create', async () => {
      const existing = (await client.getSecret('team-a', 'web-db'))!;
      const created = await client.createSecret({
        ...existing,
        metadata: { ...existing.metadata, name: 'copy' },
      });
      expect(created.metadata.name).toBe('copy');
    });

    it('should fail with CONFLICT alreadyExists when the Secret exists', async () => {
      const error = await rejection(
        client.createSecret({
          metadata: { name: 'web-db', namespace: 'team-a' },
          data: {},
        }),
      );
      expect(error.errorType).toBe('CONFLICT');
      expect(error.alreadyExists).toBe(true);
      expect(error.details).toMatchObject({
        httpStatus: 409,
        verb: 'create',
        resource: 'secrets',
        path: '/api/v1/namespaces/team-a/secrets/web-db',
        apiserverMessage: 'secrets "web-db" already exists',
      });
    });
  });

  describe('replaceSecret', () => {
    it('should replace the Secret and return the new resourceVersion', async () => {
      const current = (await client.getSecret('team-a', 'web-db'))!;
      const replaced = await client.replaceSecret({
        ...current,
        data: { password: SecretValue.fromString('rotated') },
      });
      expect(Number(replaced.metadata.resourceVersion)).toBeGreaterThan(
        Number(current.metadata.resourceVersion),
      );
      expect(Object.keys(replaced.data)).toEqual(['password']);
      expect(replaced.data.password.text()).toBe('rotated');
    });

    it('should fail with CONFLICT on a stale resourceVersion and leave the Secret alone', async () => {
      const stale = (await client.getSecret('team-a', 'web-db'))!;
      sim.seed({
        ...sim.get({ kind: 'Secret', namespace: 'team-a', name: 'web-db' })!,
        metadata: {
          name: 'web-db',
          namespace: 'team-a',
          labels: { touched: 'yes' },
        },
      });
      const error = await rejection(
        client.replaceSecret({
          ...stale,
          data: { password: SecretValue.fromString('x') },
        }),
      );
      expect(error.errorType).toBe('CONFLICT');
      expect(error.alreadyExists).toBe(false);
      expect(error.details.reason).toBe('Conflict');
      const stored = sim.get({
        kind: 'Secret',
        namespace: 'team-a',
        name: 'web-db',
      });
      expect(
        Buffer.from(
          String((stored!.data as any).password),
          'base64',
        ).toString(),
      ).toBe(CANARY);
    });

    it('should refuse to replace without a resourceVersion, before any request', async () => {
      const error = await rejection(
        client.replaceSecret({
          metadata: { name: 'web-db', namespace: 'team-a' },
          data: {},
        }),
      );
      expect(error.errorType).toBe('INVALID');
      expect(error.message).toContain('without metadata.resourceVersion');
      expect(sim.requests).toEqual([]);
    });

    it('should surface the apiserver causes of a 422', async () => {
      const current = (await client.getSecret('team-a', 'web-db'))!;
      const error = await rejection(
        client.replaceSecret({
          ...current,
          data: { 'not a key': SecretValue.fromString('v') },
        }),
      );
      expect(error.errorType).toBe('INVALID');
      expect(error.details.httpStatus).toBe(422);
      expect(error.details.causes).toEqual([
        expect.objectContaining({
          field: 'data[not a key]',
          reason: 'FieldValueInvalid',
        }),
      ]);
    });
  });

  describe('deleteSecret', () => {
    it('should delete the Secret and report it', async () => {
      await expect(client.deleteSecret('team-a', 'web-db')).resolves.toBe(true);
      expect(
        sim.get({ kind: 'Secret', namespace: 'team-a', name: 'web-db' }),
      ).toBeUndefined();
    });

    it('should resolve false for a Secret that is already gone', async () => {
      await expect(client.deleteSecret('team-a', 'nope')).resolves.toBe(false);
    });

    it('should fail with CONFLICT when the resourceVersion precondition is stale', async () => {
      const error = await rejection(
        client.deleteSecret('team-a', 'web-db', { resourceVersion: '1' }),
      );
      expect(error.errorType).toBe('CONFLICT');
      expect(
        sim.get({ kind: 'Secret', namespace: 'team-a', name: 'web-db' }),
      ).toBeDefined();
    });

    it('should delete when the resourceVersion precondition holds', async () => {
      const current = (await client.getSecretMetadata('team-a', 'web-db'))!;
      await expect(
        client.deleteSecret('team-a', 'web-db', {
          resourceVersion: current.resourceVersion,
        }),
      ).resolves.toBe(true);
    });
  });

  describe('replaceExternalSecretStatus', () => {
    const status = {
      refreshTime: '2026-03-03T00:00:00Z',
      syncedResourceVersion: '1-abc',
      conditions: [
        {
          type: 'Ready' as const,
          status: 'False' as const,
          reason: 'SecretSyncedError' as const,
          message: 'store infisical-archon-platform: 403 from Infisical',
          lastTransitionTime: '2026-03-03T00:00:00Z',
        },
      ],
    };

    it('should write status through the status subresource and leave spec and generation alone', async () => {
      const [current] = await client.listExternalSecrets({
        labelSelector: 'backstage.io/kubernetes-id=web',
      });
      sim.clearRequests();
      const updated = await client.replaceExternalSecretStatus(
        'team-a',
        'web-db',
        status,
        current.metadata.resourceVersion,
      );
      expect(updated.status).toEqual(status);
      expect(sim.requests.map(r => [r.method, r.path])).toEqual([
        ['PUT', `${ES_PATH}/web-db/status`],
      ]);
      const stored = sim.get({
        kind: 'ExternalSecret',
        namespace: 'team-a',
        name: 'web-db',
      });
      expect(stored!.spec).toEqual(current.spec);
      expect(stored!.metadata.generation).toBe(1);
    });

    it('should fail with CONFLICT for a stale resourceVersion', async () => {
      const error = await rejection(
        client.replaceExternalSecretStatus('team-a', 'web-db', status, '1'),
      );
      expect(error.errorType).toBe('CONFLICT');
      expect(error.details.resource).toBe('externalsecrets/status');
    });

    it('should read the current resourceVersion first when none is given', async () => {
      await client.replaceExternalSecretStatus('team-a', 'web-db', status);
      expect(sim.requests.map(r => [r.verb, r.resource])).toEqual([
        ['get', 'externalsecrets'],
        ['update', 'externalsecrets/status'],
      ]);
      expect(
        sim.get({
          kind: 'ExternalSecret',
          namespace: 'team-a',
          name: 'web-db',
        })!.status,
      ).toEqual(status);
    });
  });

  describe('patchExternalSecretAnnotations', () => {
    it('should merge-patch annotations, removing those set to null', async () => {
      await client.patchExternalSecretAnnotations('team-a', 'web-db', {
        'force-sync': '1767225600',
        other: 'x',
      });
      const patched = await client.patchExternalSecretAnnotations(
        'team-a',
        'web-db',
        {
          other: null,
        },
      );
      expect(patched.metadata.annotations).toEqual({
        'force-sync': '1767225600',
      });
      expect(sim.requests.map(r => r.contentType)).toEqual([
        'application/merge-patch+json',
        'application/merge-patch+json',
      ]);
      expect(patched.metadata.generation).toBe(1);
    });
  });

  describe('field manager', () => {
    it(`should name itself ${FIELD_MANAGER} on every create, update, status write and patch`, async () => {
      const created = await client.createSecret({
        metadata: { name: 'fm', namespace: 'team-a' },
        data: { k: SecretValue.fromString('v') },
      });
      await client.replaceSecret({
        ...created,
        data: { k: SecretValue.fromString('w') },
      });
      await client.replaceExternalSecretStatus('team-a', 'web-db', {
        conditions: [],
      });
      await client.patchExternalSecretAnnotations('team-a', 'web-db', {
        'force-sync': '1',
      });
      const writes = sim.requests.filter(r => r.method !== 'GET');
      expect(writes.map(r => `${r.verb} ${r.resource}`)).toEqual([
        'create secrets',
        'update secrets',
        'update externalsecrets/status',
        'patch externalsecrets',
      ]);
      expect(writes.map(r => r.query.fieldManager)).toEqual(
        writes.map(() => FIELD_MANAGER),
      );
    });
  });

  describe('readSecretKey', () => {
    it('should return the value of one key', async () => {
      const value = await client.readSecretKey({
        namespace: 'team-a',
        name: 'web-db',
        key: 'password',
      });
      expect(value.text()).toBe(CANARY);
    });

    it('should name the missing key and list the present ones, not their values', async () => {
      const error = await rejection(
        client.readSecretKey({
          namespace: 'team-a',
          name: 'web-db',
          key: 'pass',
        }),
      );
      expect(error.errorType).toBe('NOT_FOUND');
      expect(error.message).toBe(
        `Cluster 'sim': Secret "web-db" in namespace "team-a" has no key "pass" (keys: password, user).`,
      );
    });

    it('should say so when the Secret does not exist', async () => {
      const error = await rejection(
        client.readSecretKey({ namespace: 'team-a', name: 'creds', key: 'id' }),
      );
      expect(error.errorType).toBe('NOT_FOUND');
      expect(error.message).toContain(
        'Secret "creds" in namespace "team-a" does not exist',
      );
    });
  });

  describe('readConfigMapKey', () => {
    beforeEach(() => {
      sim.seed({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'infisical-ca', namespace: 'external-secrets' },
        data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' },
        binaryData: {
          'bundle.pem': Buffer.from('PEM BYTES').toString('base64'),
        },
      });
    });

    it.each([
      ['ca.crt', '-----BEGIN CERTIFICATE-----'],
      ['bundle.pem', 'PEM BYTES'],
    ])('should read key %s', async (key, expected) => {
      await expect(
        client.readConfigMapKey({
          namespace: 'external-secrets',
          name: 'infisical-ca',
          key,
        }),
      ).resolves.toBe(expected);
    });

    it('should name a missing key', async () => {
      const error = await rejection(
        client.readConfigMapKey({
          namespace: 'external-secrets',
          name: 'infisical-ca',
          key: 'x',
        }),
      );
      expect(error.message).toContain(
        'ConfigMap "infisical-ca" in namespace "external-secrets" has no key "x" (keys: bundle.pem, ca.crt)',
      );
    });

    it('should name a missing ConfigMap', async () => {
      const error = await rejection(
        client.readConfigMapKey({
          namespace: 'external-secrets',
          name: 'nope',
          key: 'x',
        }),
      );
      expect(error.errorType).toBe('NOT_FOUND');
      expect(error.message).toContain(
        'ConfigMap "nope" in namespace "external-secrets" does not exist',
      );
    });
  });

  describe('getNamespace', () => {
    it('should return the labels ClusterSecretStore namespaceSelectors match on', async () => {
      await expect(client.getNamespace('team-a')).resolves.toEqual({
        name: 'team-a',
        labels: { team: 'a', 'kubernetes.io/metadata.name': 'team-a' },
        annotations: {},
      });
    });

    it('should resolve undefined for a missing namespace', async () => {
      await expect(client.getNamespace('nope')).resolves.toBeUndefined();
    });
  });
});
