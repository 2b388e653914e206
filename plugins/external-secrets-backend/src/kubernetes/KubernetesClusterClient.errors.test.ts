import { createMockDirectory } from '@backstage/backend-test-utils';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import { ClusterConnection } from './ClusterConfig';
import { ClusterError } from './ClusterError';
import { ClusterClient } from './ClusterClient';
import { KubernetesClusterClient } from './KubernetesClusterClient';

const FIXTURES = resolve(__dirname, '../testUtils/kubernetes/__fixtures__');
const CA_PEM = readFileSync(resolve(FIXTURES, 'simulator-ca.crt'), 'utf8');
const TLS = {
  cert: readFileSync(resolve(FIXTURES, 'simulator-server.crt')),
  key: readFileSync(resolve(FIXTURES, 'simulator-server.key')),
};
const CANARY = 'canary-secret-value-4d8e';
const CANARY_B64 = Buffer.from(CANARY).toString('base64');

async function rejection(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClusterError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function connect(
  sim: KubernetesSimulator,
  connection: Partial<
    Extract<ClusterConnection, { type: 'serviceAccount' }>
  > = {},
  requestTimeoutMs?: number,
) {
  return KubernetesClusterClient.fromConfig(
    {
      name: 'sim',
      connection: {
        type: 'serviceAccount',
        url: sim.url,
        token: SecretValue.fromString(sim.token),
        skipTLSVerify: false,
        ...connection,
      },
    },
    { requestTimeoutMs },
  );
}

function secretWithCanary() {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'team-a' },
    stringData: { password: CANARY },
  };
}

describe('KubernetesClusterClient errors', () => {
  let sim: KubernetesSimulator;
  let client: KubernetesClusterClient;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(() => {
    sim.reset();
    sim.seed(secretWithCanary(), {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'team-a' },
      spec: { target: { name: 'db' } },
    });
    client = connect(sim);
  });

  describe('403 Forbidden', () => {
    it.each<[string, (c: ClusterClient) => Promise<unknown>, string]>([
      [
        'getSecret',
        c => c.getSecret('team-a', 'db'),
        'lacks "get" on "secrets" (API group "") in namespace "team-a"',
      ],
      [
        'listSecretsMetadata',
        c => c.listSecretsMetadata({ namespace: 'team-a' }),
        'lacks "list" on "secrets" (API group "") in namespace "team-a"',
      ],
      [
        'createSecret',
        c =>
          c.createSecret({
            metadata: { name: 'x', namespace: 'team-a' },
            data: {},
          }),
        'lacks "create" on "secrets" (API group "") in namespace "team-a"',
      ],
      [
        'deleteSecret',
        c => c.deleteSecret('team-a', 'db'),
        'lacks "delete" on "secrets" (API group "") in namespace "team-a"',
      ],
      [
        'listExternalSecrets',
        c => c.listExternalSecrets(),
        'lacks "list" on "externalsecrets" (API group "external-secrets.io") cluster-wide',
      ],
      [
        'listClusterSecretStores',
        c => c.listClusterSecretStores(),
        'lacks "list" on "clustersecretstores" (API group "external-secrets.io") cluster-wide',
      ],
      [
        'replaceExternalSecretStatus',
        c => c.replaceExternalSecretStatus('team-a', 'db', {}, '5'),
        'lacks "update" on "externalsecrets/status" (API group "external-secrets.io") in namespace "team-a"',
      ],
      [
        'patchExternalSecretAnnotations',
        c =>
          c.patchExternalSecretAnnotations('team-a', 'db', {
            'force-sync': '1',
          }),
        'lacks "patch" on "externalsecrets" (API group "external-secrets.io") in namespace "team-a"',
      ],
      [
        'getNamespace',
        c => c.getNamespace('team-a'),
        'lacks "get" on "namespaces" (API group "") cluster-wide',
      ],
    ])(
      'should say which verb and resource %s lacks',
      async (_method, call, lacks) => {
        sim.injectFault({ status: 403 });
        const error = await rejection(call(client));
        expect(error.errorType).toBe('FORBIDDEN');
        expect(error.details.httpStatus).toBe(403);
        expect(error.message).toContain(`The service account ${lacks}.`);
      },
    );

    it('should carry cluster, verb, path and the apiserver message', async () => {
      sim.injectFault({ verb: 'get', resource: 'secrets', status: 403 });
      const error = await rejection(client.getSecret('team-a', 'db'));
      expect(error.message).toBe(
        `Cluster 'sim': get secrets "db" in namespace "team-a" failed with HTTP 403 Forbidden: secrets "db" is forbidden: User "system:serviceaccount:backstage:backstage" cannot get resource "secrets" in API group "" in the namespace "team-a". The service account lacks "get" on "secrets" (API group "") in namespace "team-a".`,
      );
      expect(error.details).toEqual({
        cluster: 'sim',
        verb: 'get',
        group: '',
        resource: 'secrets',
        namespace: 'team-a',
        name: 'db',
        path: '/api/v1/namespaces/team-a/secrets/db',
        httpStatus: 403,
        reason: 'Forbidden',
        apiserverMessage:
          'secrets "db" is forbidden: User "system:serviceaccount:backstage:backstage" cannot get resource "secrets" in API group "" in the namespace "team-a"',
        hint: `Grant the plugin's service account "get" on "secrets" (API group "") in namespace "team-a"; see the ClusterRole in the plugin README.`,
      });
    });
  });

  describe('other HTTP failures', () => {
    it('should report a token the apiserver does not accept as UNAUTHORIZED', async () => {
      const stranger = connect(sim, { token: SecretValue.fromString('wrong') });
      const error = await rejection(stranger.listExternalSecrets());
      expect(error.errorType).toBe('UNAUTHORIZED');
      expect(error.details.httpStatus).toBe(401);
      expect(error.message).toContain('service account token');
      expect(error.message).not.toContain('wrong');
    });

    it.each([
      [500, 'SERVER_ERROR'],
      [503, 'SERVER_ERROR'],
      [429, 'SERVER_ERROR'],
      [504, 'TIMEOUT'],
      [400, 'INVALID'],
    ])('should map HTTP %d to %s', async (status, errorType) => {
      sim.injectFault({ verb: 'list', status });
      const error = await rejection(client.listExternalSecrets());
      expect(error.errorType).toBe(errorType);
      expect(error.details.httpStatus).toBe(status);
    });

    it('should keep the Retry-After of a 503 and call it transient', async () => {
      sim.injectFault({ verb: 'list', status: 503, retryAfterSeconds: 7 });
      const error = await rejection(client.listExternalSecrets());
      expect(error.details.retryAfterSeconds).toBe(7);
      expect(error.isTransient).toBe(true);
    });
  });

  describe('transport failures', () => {
    it('should report a server that does not listen as UNREACHABLE', async () => {
      const gone = await startKubernetesSimulator();
      await gone.stop();
      const error = await rejection(connect(gone).listExternalSecrets());
      expect(error.errorType).toBe('UNREACHABLE');
      expect(error.details.code).toBe('ECONNREFUSED');
      expect(error.message).toContain('could not reach the apiserver');
    });

    it('should give up after the request timeout with TIMEOUT', async () => {
      sim.injectFault({ verb: 'list', latencyMs: 2_000 });
      const started = Date.now();
      const error = await rejection(
        connect(sim, {}, 100).listExternalSecrets(),
      );
      expect(error.errorType).toBe('TIMEOUT');
      expect(error.message).toContain('got no answer within 100 ms');
      expect(Date.now() - started).toBeLessThan(1_500);
    });
  });

  describe('TLS', () => {
    let secure: KubernetesSimulator;
    const mockDir = createMockDirectory({ content: { 'ca.crt': CA_PEM } });

    beforeAll(async () => {
      secure = await startKubernetesSimulator({ tls: TLS });
    });

    afterAll(async () => {
      await secure.stop();
    });

    it.each<
      [string, Partial<Extract<ClusterConnection, { type: 'serviceAccount' }>>]
    >([
      ['caData', { caData: Buffer.from(CA_PEM).toString('base64') }],
      ['caFile', { caFile: mockDir.resolve('ca.crt') }],
      ['dangerouslySkipTLSVerify', { skipTLSVerify: true }],
    ])('should connect over HTTPS with %s', async (_how, tls) => {
      await expect(
        connect(secure, tls).listClusterSecretStores(),
      ).resolves.toEqual([]);
    });

    it('should report an untrusted certificate as TLS', async () => {
      const error = await rejection(connect(secure).listClusterSecretStores());
      expect(error.errorType).toBe('TLS');
      expect(error.details.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(error.details.hint).toContain('caData or caFile');
    });
  });

  describe('other connections', () => {
    it('should use a kubeconfig file and context', async () => {
      const dir = createMockDirectory({
        content: { config: sim.kubeconfig({ context: 'kind-dev' }) },
      });
      const fromKubeconfig = KubernetesClusterClient.fromConfig({
        name: 'kind-dev',
        connection: {
          type: 'kubeconfig',
          path: dir.resolve('config'),
          context: 'kind-dev',
        },
      });
      await expect(
        fromKubeconfig.getNamespace('team-a'),
      ).resolves.toMatchObject({
        name: 'team-a',
      });
    });

    it('should name an unknown kubeconfig context', () => {
      const dir = createMockDirectory({
        content: { config: sim.kubeconfig() },
      });
      expect(() =>
        KubernetesClusterClient.fromConfig({
          name: 'x',
          connection: {
            type: 'kubeconfig',
            path: dir.resolve('config'),
            context: 'prod',
          },
        }),
      ).toThrow(
        "externalSecrets.kubeconfig.context 'prod' is not in the kubeconfig",
      );
    });

    it('should talk to a kubectl proxy without credentials', async () => {
      const proxy = await startKubernetesSimulator({ allowAnonymous: true });
      try {
        const viaProxy = KubernetesClusterClient.fromConfig({
          name: 'local',
          connection: { type: 'localKubectlProxy', url: proxy.url },
        });
        await expect(viaProxy.listClusterSecretStores()).resolves.toEqual([]);
      } finally {
        await proxy.stop();
      }
    });
  });

  describe('secret values in errors', () => {
    const failures: [string, () => Promise<unknown>][] = [
      [
        'a stale replace of the Secret holding the value',
        async () => {
          const current = (await client.getSecret('team-a', 'db'))!;
          sim.seed({
            ...secretWithCanary(),
            metadata: { ...secretWithCanary().metadata, labels: { a: 'b' } },
          });
          return client.replaceSecret(current);
        },
      ],
      [
        'a create the apiserver rejects as invalid',
        () =>
          client.createSecret({
            metadata: { name: 'bad', namespace: 'team-a' },
            data: { 'bad key': SecretValue.fromString(CANARY) },
          }),
      ],
      [
        'a data change of an immutable Secret',
        async () => {
          sim.seed({ ...secretWithCanary(), immutable: true });
          const current = (await client.getSecret('team-a', 'db'))!;
          return client.replaceSecret({
            ...current,
            data: { password: SecretValue.fromString(`${CANARY}-2`) },
          });
        },
      ],
      [
        'a 500 while reading the Secret',
        () => {
          sim.injectFault({ verb: 'get', resource: 'secrets', status: 500 });
          return client.getSecret('team-a', 'db');
        },
      ],
      [
        'a 403 while reading a key',
        () => {
          sim.injectFault({ verb: 'get', resource: 'secrets', status: 403 });
          return client.readSecretKey({
            namespace: 'team-a',
            name: 'db',
            key: 'password',
          });
        },
      ],
      [
        'a missing key next to the value',
        () =>
          client.readSecretKey({
            namespace: 'team-a',
            name: 'db',
            key: 'user',
          }),
      ],
    ];

    it.each(failures)(
      'should keep the value out of %s',
      async (_case, fail) => {
        const error = await rejection(fail());
        for (const text of [
          error.message,
          String(error),
          error.stack ?? '',
          JSON.stringify(error),
          JSON.stringify(error.details),
          inspect(error, { depth: 10 }),
        ]) {
          expect(text).not.toContain(CANARY);
          expect(text).not.toContain(CANARY_B64);
        }
      },
    );
  });
});
