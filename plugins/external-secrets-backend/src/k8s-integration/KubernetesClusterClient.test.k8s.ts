import {
  ExternalSecretStatus,
  LABEL_MANAGED,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { inspect } from 'node:util';
import { ClusterError } from '../kubernetes/ClusterError';
import { KubernetesClusterClient } from '../kubernetes/KubernetesClusterClient';
import { KubernetesSecret } from '../kubernetes/types';
import { AuditLog } from './__testUtils__/AuditLog';
import { apiFailure, KubeAdmin, uniqueName } from './__testUtils__/KubeAdmin';
import { KubeTestEnv, kubeTestEnv } from './__testUtils__/kubeTestEnv';
import { PLUGIN_RULES, rulesWithout } from './__testUtils__/pluginRbac';

jest.setTimeout(60_000);

const CANARY = 'canary-k8s-client-9f31c2';

async function rejection(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClusterError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Everything an error could leak through: message, details, inspect(). */
function everythingIn(error: ClusterError): string {
  return `${error.message} ${JSON.stringify(error.details)} ${inspect(error)}`;
}

function connect(
  env: KubeTestEnv,
  options: { token?: string; caData?: string; pageSize?: number } = {},
) {
  return KubernetesClusterClient.fromConfig(
    {
      name: 'kube-test-env',
      connection: {
        type: 'serviceAccount',
        url: env.url,
        token: SecretValue.fromString(options.token ?? env.pluginToken),
        caData: 'caData' in options ? options.caData : env.caData,
        skipTLSVerify: false,
      },
    },
    { pageSize: options.pageSize },
  );
}

function secret(
  namespace: string,
  name: string,
  data: Record<string, string | Uint8Array>,
): KubernetesSecret {
  return {
    metadata: { name, namespace, labels: { [LABEL_MANAGED]: 'true' } },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        typeof value === 'string'
          ? SecretValue.fromString(value)
          : SecretValue.fromBytes(value),
      ]),
    ),
  };
}

function externalSecret(namespace: string, name: string, labels = {}) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace, labels },
    spec: {
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'some-store' },
      target: { name },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    },
  };
}

const READY: ExternalSecretStatus = {
  refreshTime: '2026-11-23T10:00:00Z',
  syncedResourceVersion: '1-abc',
  binding: { name: 'db' },
  conditions: [
    {
      type: 'Ready',
      status: 'True',
      reason: 'SecretSynced',
      message: 'secret synced',
      lastTransitionTime: '2026-11-23T10:00:00Z',
    },
  ],
};

describe('KubernetesClusterClient against a real kube-apiserver', () => {
  let env: KubeTestEnv;
  let admin: KubeAdmin;
  let client: KubernetesClusterClient;
  let ns: string;

  beforeAll(async () => {
    env = kubeTestEnv();
    admin = new KubeAdmin(env);
    client = connect(env);
    ns = await admin.createNamespace('client');
  });

  it('should list ExternalSecrets and stores with the defaults applied by the ESO CRDs', async () => {
    const id = uniqueName('app');
    await admin.create(
      externalSecret(ns, 'labelled', { 'backstage.io/kubernetes-id': id }),
    );
    await admin.create(externalSecret(ns, 'other'));
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'local-store', namespace: ns },
      spec: { provider: { fake: { data: [{ key: 'A', value: 'a' }] } } },
    });
    const clusterStore = uniqueName('css');
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: clusterStore },
      spec: { provider: { fake: { data: [{ key: 'A', value: 'a' }] } } },
    });

    const inNamespace = await client.listExternalSecrets({ namespace: ns });
    const bySelector = await client.listExternalSecrets({
      labelSelector: `backstage.io/kubernetes-id=${id}`,
    });
    const stores = await client.listSecretStores({ namespace: ns });
    const clusterStores = await client.listClusterSecretStores();

    expect(inNamespace.map(es => es.metadata.name).sort()).toEqual([
      'labelled',
      'other',
    ]);
    expect(
      bySelector.map(es => `${es.metadata.namespace}/${es.metadata.name}`),
    ).toEqual([`${ns}/labelled`]);
    // Defaults the plugin never wrote: the apiserver applies the CRD schema's.
    expect(bySelector[0].spec).toMatchObject({
      refreshInterval: '1h0m0s',
      target: { creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        {
          remoteRef: {
            conversionStrategy: 'Default',
            decodingStrategy: 'None',
            metadataPolicy: 'None',
          },
        },
      ],
    });
    expect(bySelector[0].metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(stores.map(s => s.metadata.name)).toEqual(['local-store']);
    expect(clusterStores.map(s => s.metadata.name)).toContain(clusterStore);
  });

  it('should follow continue tokens until every page of Secrets is read', async () => {
    const pagedNs = await admin.createNamespace('paged');
    for (let i = 0; i < 5; i++) {
      await client.createSecret(secret(pagedNs, `s${i}`, { k: `v${i}` }));
    }
    const audit = new AuditLog(env.auditLog, admin);
    const checkpoint = await audit.checkpoint();

    const secrets = await connect(env, { pageSize: 2 }).listSecrets({
      namespace: pagedNs,
      labelSelector: `${LABEL_MANAGED}=true`,
    });

    expect(secrets.map(s => s.metadata.name).sort()).toEqual([
      's0',
      's1',
      's2',
      's3',
      's4',
    ]);
    expect(secrets.find(s => s.metadata.name === 's3')!.data.k.text()).toBe(
      'v3',
    );
    const lists = (await audit.since(checkpoint)).filter(
      e =>
        e.user.username === env.pluginUser &&
        e.verb === 'list' &&
        e.objectRef?.namespace === pagedNs,
    );
    expect(lists).toHaveLength(3);
  });

  it('should create, read, replace and delete a Secret with byte-exact values', async () => {
    const bytes = new Uint8Array([0, 255, 10, 13, 128]);
    const created = await client.createSecret(
      secret(ns, 'round-trip', { password: CANARY, binary: bytes }),
    );

    const read = await client.getSecret(ns, 'round-trip');
    expect(read!.data.password.text()).toBe(CANARY);
    expect(Array.from(read!.data.binary.bytes())).toEqual(Array.from(bytes));
    expect(read!.metadata.labels).toEqual({ [LABEL_MANAGED]: 'true' });

    const replaced = await client.replaceSecret({
      ...read!,
      data: { password: SecretValue.fromString('rotated') },
    });
    expect(replaced.metadata.resourceVersion).not.toBe(
      created.metadata.resourceVersion,
    );
    const stored = await admin.secret(ns, 'round-trip');
    expect(stored!.data).toEqual({
      password: Buffer.from('rotated').toString('base64'),
    });

    expect(await client.deleteSecret(ns, 'round-trip')).toBe(true);
    expect(await client.getSecret(ns, 'round-trip')).toBeUndefined();
    expect(await client.deleteSecret(ns, 'round-trip')).toBe(false);
  });

  it('should refuse to overwrite a concurrent writer with a 409 CONFLICT that names the Secret', async () => {
    await client.createSecret(secret(ns, 'contended', { password: CANARY }));
    const stale = (await client.getSecret(ns, 'contended'))!;
    await admin.update(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'contended', namespace: ns },
      },
      current => ({
        ...current,
        metadata: {
          ...current.metadata,
          annotations: { 'edited-by': 'human' },
        },
      }),
    );

    const conflict = await rejection(
      client.replaceSecret({
        ...stale,
        data: { password: SecretValue.fromString('mine') },
      }),
    );
    const staleDelete = await rejection(
      client.deleteSecret(ns, 'contended', {
        resourceVersion: stale.metadata.resourceVersion,
      }),
    );
    const duplicate = await rejection(
      client.createSecret(secret(ns, 'contended', { password: CANARY })),
    );

    expect(conflict.errorType).toBe('CONFLICT');
    expect(conflict.details).toMatchObject({
      httpStatus: 409,
      reason: 'Conflict',
      verb: 'update',
      resource: 'secrets',
      path: `/api/v1/namespaces/${ns}/secrets/contended`,
    });
    expect(conflict.details.apiserverMessage).toContain(
      'the object has been modified',
    );
    expect(conflict.message).toContain(
      `update secrets "contended" in namespace "${ns}" failed with HTTP 409 Conflict`,
    );
    expect(conflict.isTransient).toBe(true);
    expect(staleDelete.errorType).toBe('CONFLICT');
    expect(staleDelete.details.apiserverMessage).toContain(
      'the ResourceVersion in the precondition',
    );
    expect(duplicate.alreadyExists).toBe(true);
    for (const error of [conflict, staleDelete, duplicate]) {
      expect(everythingIn(error)).not.toContain(CANARY);
    }
    const kept = await admin.secret(ns, 'contended');
    expect(kept!.metadata!.annotations).toEqual({ 'edited-by': 'human' });
    expect(Buffer.from(kept!.data!.password, 'base64').toString()).toBe(CANARY);
  });

  it('should read Secret metadata as PartialObjectMetadata, without values', async () => {
    await client.createSecret(secret(ns, 'meta-only', { password: CANARY }));

    const listed = await client.listSecretsMetadata({
      namespace: ns,
      labelSelector: `${LABEL_MANAGED}=true`,
    });
    const one = await client.getSecretMetadata(ns, 'meta-only');

    const entry = listed.find(m => m.name === 'meta-only');
    expect(entry).toMatchObject({
      namespace: ns,
      labels: { [LABEL_MANAGED]: 'true' },
      resourceVersion: expect.any(String),
      uid: expect.any(String),
    });
    expect(one).toMatchObject({ name: 'meta-only', namespace: ns });
    expect(JSON.stringify([listed, one])).not.toContain(
      Buffer.from(CANARY).toString('base64'),
    );
    expect(await client.getSecretMetadata(ns, 'absent')).toBeUndefined();
  });

  it('should write status through the status subresource without touching spec or generation', async () => {
    const created = await admin.create(externalSecret(ns, 'with-status'));
    const before = await admin.read(created);

    const written = await client.replaceExternalSecretStatus(
      ns,
      'with-status',
      READY,
    );
    const after = await admin.read(created);

    expect(written.status).toEqual(READY);
    expect(after.status).toEqual(READY);
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.generation).toBe(before.metadata.generation);
    const stale = await rejection(
      client.replaceExternalSecretStatus(
        ns,
        'with-status',
        READY,
        before.metadata.resourceVersion,
      ),
    );
    expect(stale.errorType).toBe('CONFLICT');
    expect(stale.details.resource).toBe('externalsecrets/status');
  });

  it("should report the 422 of ESO's CRD validation with the offending field", async () => {
    await admin.create(externalSecret(ns, 'invalid-status'));
    const bad = {
      ...READY,
      conditions: [{ ...READY.conditions![0], type: 'Synced' }],
    } as unknown as ExternalSecretStatus;

    const error = await rejection(
      client.replaceExternalSecretStatus(ns, 'invalid-status', bad),
    );

    expect(error.errorType).toBe('INVALID');
    expect(error.details).toMatchObject({
      httpStatus: 422,
      reason: 'Invalid',
      resource: 'externalsecrets/status',
      name: 'invalid-status',
    });
    expect(error.details.causes).toEqual([
      expect.objectContaining({
        field: 'status.conditions[0].type',
        reason: 'FieldValueNotSupported',
        message: expect.stringContaining(
          'supported values: "Ready", "Deleted"',
        ),
      }),
    ]);
    expect(error.message).toContain(
      `update status of externalsecrets.external-secrets.io "invalid-status" in namespace "${ns}" failed with HTTP 422 Invalid`,
    );
    expect(error.message).toContain('status.conditions[0].type');
  });

  it('should be refused an ExternalSecret that fails the CRD schema, so the parser never sees one', async () => {
    const invalid = externalSecret(ns, 'invalid-spec');
    invalid.spec.data[0].secretKey = 'not valid';
    (invalid.spec.target as Record<string, string>).creationPolicy =
      'Sometimes';

    const refusal = await apiFailure(admin.create(invalid));

    expect(refusal.code).toBe(422);
    expect(refusal.body.details?.causes?.map(c => c.field).sort()).toEqual([
      'spec.data[0].secretKey',
      'spec.target.creationPolicy',
    ]);
    expect(
      await client.listExternalSecrets({ namespace: ns }),
    ).not.toContainEqual(
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'invalid-spec' }),
      }),
    );
  });

  it('should merge-patch annotations and remove one with null', async () => {
    const created = await admin.create(externalSecret(ns, 'annotated'));

    await client.patchExternalSecretAnnotations(ns, 'annotated', {
      'force-sync': '1700000000',
      keep: 'me',
    });
    const patched = await admin.read(created);
    await client.patchExternalSecretAnnotations(ns, 'annotated', {
      'force-sync': null,
    });
    const cleared = await admin.read(created);

    expect(patched.metadata.annotations).toEqual({
      'force-sync': '1700000000',
      keep: 'me',
    });
    expect(cleared.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('should read Secret and ConfigMap keys and name a missing key without values', async () => {
    await client.createSecret(secret(ns, 'credentials', { token: CANARY }));
    await admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ca-bundle', namespace: ns },
      data: { 'ca.crt': 'PEM' },
      binaryData: { raw: Buffer.from('bytes').toString('base64') },
    });

    const token = await client.readSecretKey({
      namespace: ns,
      name: 'credentials',
      key: 'token',
    });
    const missingKey = await rejection(
      client.readSecretKey({ namespace: ns, name: 'credentials', key: 'nope' }),
    );

    expect(token.text()).toBe(CANARY);
    expect(missingKey.errorType).toBe('NOT_FOUND');
    expect(missingKey.message).toContain('has no key "nope" (keys: token)');
    expect(everythingIn(missingKey)).not.toContain(CANARY);
    expect(
      await client.readConfigMapKey({
        namespace: ns,
        name: 'ca-bundle',
        key: 'ca.crt',
      }),
    ).toBe('PEM');
    expect(
      await client.readConfigMapKey({
        namespace: ns,
        name: 'ca-bundle',
        key: 'raw',
      }),
    ).toBe('bytes');
    expect(
      (
        await rejection(
          client.readConfigMapKey({ namespace: ns, name: 'gone', key: 'x' }),
        )
      ).message,
    ).toContain(`ConfigMap "gone" in namespace "${ns}" does not exist`);
  });

  it("should read a Namespace's labels, and nothing for a missing one", async () => {
    await admin.update(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      current => ({
        ...current,
        metadata: {
          ...current.metadata,
          labels: { ...current.metadata.labels, team: 'payments' },
        },
      }),
    );
    const info = await client.getNamespace(ns);
    expect(info?.labels).toMatchObject({
      team: 'payments',
      'kubernetes.io/metadata.name': ns,
    });
    expect(await client.getNamespace(uniqueName('absent'))).toBeUndefined();
  });

  describe('RBAC and authentication', () => {
    it('should report a 403 that names the missing verb when the token cannot update Secrets', async () => {
      await client.createSecret(secret(ns, 'guarded', { password: CANARY }));
      const { token, user } = await admin.serviceAccountToken(
        ns,
        rulesWithout('', 'secrets', 'update'),
      );
      const limited = connect(env, { token });
      const current = (await limited.getSecret(ns, 'guarded'))!;

      const error = await rejection(
        limited.replaceSecret({
          ...current,
          data: { password: SecretValue.fromString('new') },
        }),
      );

      expect(error.errorType).toBe('FORBIDDEN');
      expect(error.details).toMatchObject({
        httpStatus: 403,
        reason: 'Forbidden',
        verb: 'update',
        group: '',
        resource: 'secrets',
        namespace: ns,
        name: 'guarded',
      });
      expect(error.details.apiserverMessage).toBe(
        `secrets "guarded" is forbidden: User "${user}" cannot update resource "secrets" in API group "" in the namespace "${ns}"`,
      );
      expect(error.message).toContain(
        `The service account lacks "update" on "secrets" (API group "") in namespace "${ns}".`,
      );
      expect(error.isTransient).toBe(false);
      expect(everythingIn(error)).not.toContain(CANARY);
    });

    it('should run every other test as an account granted exactly the least-privilege rules', async () => {
      const role = await admin.rbac.readClusterRole({
        name: env.pluginUser.split(':').pop()!,
      });
      expect(role.rules).toEqual(PLUGIN_RULES);
    });

    it('should connect with the kubeconfig the control plane wrote for the plugin', async () => {
      const fromKubeconfig = KubernetesClusterClient.fromConfig({
        name: 'kube-test-env',
        connection: { type: 'kubeconfig', path: env.kubeconfig },
      });
      const audit = new AuditLog(env.auditLog, admin);
      const checkpoint = await audit.checkpoint();

      const stores = await fromKubeconfig.listClusterSecretStores();

      expect(Array.isArray(stores)).toBe(true);
      expect(
        (await audit.since(checkpoint))
          .filter(
            e =>
              e.verb === 'list' &&
              e.objectRef?.resource === 'clustersecretstores',
          )
          .map(e => e.user.username),
      ).toEqual([env.pluginUser]);
    });

    it('should report an unknown token as UNAUTHORIZED', async () => {
      const error = await rejection(
        connect(env, { token: 'not-a-token' }).listClusterSecretStores(),
      );
      expect(error.errorType).toBe('UNAUTHORIZED');
      expect(error.details.httpStatus).toBe(401);
      expect(error.message).toContain('service account token');
    });

    it('should report a server certificate it cannot verify as TLS, naming caData', async () => {
      const error = await rejection(
        connect(env, { caData: undefined }).listClusterSecretStores(),
      );
      expect(error.errorType).toBe('TLS');
      expect(error.details.code).toMatch(/CERT|SELF_SIGNED|VERIFY/);
      expect(error.message).toContain('caData');
    });
  });
});
