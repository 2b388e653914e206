import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { ClusterConfig } from './ClusterConfig';
import { readClusterConfigs } from './readClusterConfigs';

const TOKEN = 'token-canary-5b1e';

function read(data: JsonObject) {
  return readClusterConfigs(new ConfigReader(data));
}

function own(...clusters: JsonObject[]): JsonObject {
  return { externalSecrets: { clusters } };
}

function k8sPlugin(...clusters: JsonObject[]): JsonObject {
  return {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [{ type: 'config', clusters }],
    },
  };
}

/** A cluster with its token read out, for comparisons. */
function plain(cluster: ClusterConfig) {
  const { connection } = cluster;
  if (connection.type !== 'serviceAccount') return cluster;
  return {
    ...cluster,
    connection: { ...connection, token: connection.token?.text() },
  };
}

describe('readClusterConfigs', () => {
  describe('externalSecrets.clusters', () => {
    it('should default to rollout off: no workload is read without opting in', () => {
      const { clusters } = read(
        own({ name: 'prod', url: 'https://k8s.example.com' }),
      );
      expect(clusters[0].rollout).toBe('off');
    });

    it.each(['observe', 'restart'])('should read rollout: %s', rollout => {
      const { clusters } = read(
        own({ name: 'prod', url: 'https://k8s.example.com', rollout }),
      );
      expect(clusters[0].rollout).toBe(rollout);
    });

    it('should refuse an unknown rollout mode, naming the key', () => {
      expect(() =>
        read(
          own({
            name: 'prod',
            url: 'https://k8s.example.com',
            rollout: 'auto',
          }),
        ),
      ).toThrow(
        'externalSecrets.clusters[0].rollout: Invalid option: expected one of "off"|"observe"|"restart"',
      );
    });

    it('should default to observe mode, not ESO-free, verified TLS', () => {
      const { clusters } = read(
        own({
          name: 'prod',
          url: 'https://k8s.example.com',
          serviceAccountToken: TOKEN,
        }),
      );
      expect(clusters.map(plain)).toEqual([
        {
          name: 'prod',
          mode: 'observe',
          esoFree: false,
          rollout: 'off',
          configKey: 'externalSecrets.clusters[0]',
          source: 'externalSecrets.clusters',
          connection: {
            type: 'serviceAccount',
            url: 'https://k8s.example.com',
            token: TOKEN,
            skipTLSVerify: false,
          },
        },
      ]);
    });

    it('should read every option of a reconcile cluster', () => {
      const { clusters } = read(
        own({
          name: 'dev',
          url: 'https://10.0.0.1:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: TOKEN,
          caData: 'LS0tLS1CRUdJTg==',
          dangerouslySkipTLSVerify: true,
          mode: 'reconcile',
          esoFree: true,
          controllerClass: 'backstage',
        }),
      );
      expect(clusters.map(plain)[0]).toMatchObject({
        mode: 'reconcile',
        esoFree: true,
        controllerClass: 'backstage',
        connection: {
          caData: 'LS0tLS1CRUdJTg==',
          skipTLSVerify: true,
          token: TOKEN,
        },
      });
    });

    it.each([
      [{ name: 'here', inCluster: true }, { type: 'inCluster' }],
      [
        {
          name: 'proxy',
          url: 'http://127.0.0.1:8001',
          authProvider: 'localKubectlProxy',
        },
        { type: 'localKubectlProxy', url: 'http://127.0.0.1:8001' },
      ],
      [
        { name: 'mounted', url: 'https://k8s', caFile: '/ca.crt' },
        {
          type: 'serviceAccount',
          url: 'https://k8s',
          caFile: '/ca.crt',
          skipTLSVerify: false,
        },
      ],
    ])('should read the connection of %j', (entry, connection) => {
      expect(read(own(entry)).clusters[0].connection).toEqual(connection);
    });

    it('should hold the token in a SecretValue so a logged config is redacted', () => {
      const { clusters } = read(
        own({ name: 'prod', url: 'https://k8s', serviceAccountToken: TOKEN }),
      );
      expect(JSON.stringify(clusters)).not.toContain(TOKEN);
    });

    it.each([
      [{ url: 'https://k8s' }, 'externalSecrets.clusters[0].name: is required'],
      [
        { name: 'a', url: 'https://k8s', mode: 'recon' },
        'externalSecrets.clusters[0].mode: Invalid option: expected one of "reconcile"|"observe"',
      ],
      [
        { name: 'a', url: 'ftp://k8s' },
        'externalSecrets.clusters[0].url: must be an http(s) URL',
      ],
      [
        { name: 'a', url: 'https://k8s', authProvider: 'google' },
        "externalSecrets.clusters[0].authProvider: must be 'serviceAccount' or 'localKubectlProxy'",
      ],
      [
        { name: 'a', url: 'https://k8s', skipTLSVerify: true },
        "externalSecrets.clusters[0]: unknown key 'skipTLSVerify'",
      ],
      [
        { name: 'a', url: 'https://k8s', esoFree: 'yes' },
        'externalSecrets.clusters[0].esoFree: Invalid input: expected boolean, received string',
      ],
      [
        { name: 'a', url: 'https://k8s', inCluster: true },
        'externalSecrets.clusters[0]: set either url or inCluster: true, not both',
      ],
      [{ name: 'a' }, 'externalSecrets.clusters[0].url: is required'],
      [
        { name: 'a', url: 'https://k8s', caData: 'x', caFile: '/ca' },
        'externalSecrets.clusters[0]: set either caData or caFile, not both',
      ],
      [
        {
          name: 'a',
          url: 'http://127.0.0.1:8001',
          authProvider: 'localKubectlProxy',
          serviceAccountToken: TOKEN,
        },
        "externalSecrets.clusters[0].serviceAccountToken: not used with authProvider 'localKubectlProxy'",
      ],
    ])('should reject %j naming the key', (entry, message) => {
      expect(() => read(own(entry))).toThrow(message);
    });

    it('should report every problem at once, by index', () => {
      expect(() =>
        read(
          own(
            { name: 'ok', url: 'https://k8s' },
            { name: 'b', mode: 'x', url: 'https://k8s' },
            { url: 'https://k8s' },
          ),
        ),
      ).toThrow(
        /clusters\[1\]\.mode: .*; externalSecrets\.clusters\[2\]\.name: is required/,
      );
    });

    it('should reject a list that is not a list', () => {
      expect(() =>
        read({ externalSecrets: { clusters: { name: 'a' } } }),
      ).toThrow('externalSecrets.clusters: must be a list of clusters');
    });

    it('should reject duplicate names, naming both keys', () => {
      expect(() =>
        read(
          own(
            { name: 'a', url: 'https://one' },
            { name: 'a', url: 'https://two' },
          ),
        ),
      ).toThrow(
        "externalSecrets.clusters[1].name: duplicate cluster name 'a' (also at externalSecrets.clusters[0])",
      );
    });

    it('should never quote the token in an error', () => {
      let message = '';
      try {
        read(
          own({
            name: 'a',
            url: 'ftp://x',
            serviceAccountToken: TOKEN,
            mode: 1,
          }),
        );
      } catch (error) {
        message = String(error);
      }
      expect(message).toContain('externalSecrets.clusters[0].mode');
      expect(message).not.toContain(TOKEN);
    });
  });

  describe('externalSecrets.kubeconfig', () => {
    it.each([
      [{}, 'kubeconfig', { type: 'kubeconfig' }],
      [
        { context: 'kind-dev' },
        'kind-dev',
        { type: 'kubeconfig', context: 'kind-dev' },
      ],
      [
        { name: 'laptop', path: '/home/me/.kube/config', context: 'kind-dev' },
        'laptop',
        {
          type: 'kubeconfig',
          path: '/home/me/.kube/config',
          context: 'kind-dev',
        },
      ],
    ])('should read %j as cluster %s', (kubeconfig, name, connection) => {
      const { clusters } = read({ externalSecrets: { kubeconfig } });
      expect(clusters).toEqual([
        {
          name,
          mode: 'observe',
          esoFree: false,
          rollout: 'off',
          configKey: 'externalSecrets.kubeconfig',
          source: 'externalSecrets.kubeconfig',
          connection,
        },
      ]);
    });

    it('should reject unknown keys', () => {
      expect(() =>
        read({ externalSecrets: { kubeconfig: { file: 'x' } } }),
      ).toThrow("externalSecrets.kubeconfig: unknown key 'file'");
    });

    it('should reject a name that clashes with the cluster list', () => {
      expect(() =>
        read({
          externalSecrets: {
            clusters: [{ name: 'dev', url: 'https://k8s' }],
            kubeconfig: { context: 'dev' },
          },
        }),
      ).toThrow(
        "externalSecrets.kubeconfig.name: duplicate cluster name 'dev'",
      );
    });
  });

  describe('kubernetes.clusterLocatorMethods', () => {
    it('should reuse a serviceAccount cluster in observe mode', () => {
      const result = read(
        k8sPlugin({
          name: 'prod',
          url: 'https://k8s',
          authProvider: 'serviceAccount',
          serviceAccountToken: TOKEN,
          caData: 'Q0E=',
          skipTLSVerify: true,
        }),
      );
      expect(result.clusters.map(plain)).toEqual([
        {
          name: 'prod',
          mode: 'observe',
          esoFree: false,
          configKey: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
          source: 'kubernetes.clusterLocatorMethods',
          connection: {
            type: 'serviceAccount',
            url: 'https://k8s',
            token: TOKEN,
            caData: 'Q0E=',
            skipTLSVerify: true,
          },
        },
      ]);
      expect(result.unusable).toEqual([]);
    });

    it('should take authProvider and token from authMetadata, like the Kubernetes plugin', () => {
      const { clusters } = read(
        k8sPlugin({
          name: 'prod',
          url: 'https://k8s',
          authProvider: 'google',
          authMetadata: {
            'kubernetes.io/auth-provider': 'serviceAccount',
            serviceAccountToken: TOKEN,
          },
        }),
      );
      expect(clusters.map(plain)[0].connection).toMatchObject({ token: TOKEN });
    });

    it('should use the mounted token for a serviceAccount cluster without a token', () => {
      const { clusters } = read(
        k8sPlugin({
          name: 'self',
          url: 'https://kubernetes.default.svc',
          authProvider: 'serviceAccount',
        }),
      );
      expect(clusters[0].connection).toEqual({
        type: 'serviceAccount',
        url: 'https://kubernetes.default.svc',
        skipTLSVerify: false,
      });
    });

    it.each([
      [
        'google',
        'uses user-delegated auth (google): not usable for background sync',
      ],
      [
        'oidc',
        'uses user-delegated auth (oidc): not usable for background sync',
      ],
      ['aws', 'auth provider aws is not implemented for background sync'],
      ['azure', 'auth provider azure is not implemented for background sync'],
      [
        'googleServiceAccount',
        'auth provider googleServiceAccount is not implemented for background sync',
      ],
    ])(
      'should report a cluster with authProvider %s as unusable',
      (authProvider, reason) => {
        const result = read(
          k8sPlugin({ name: 'c', url: 'https://k8s', authProvider }),
        );
        expect(result.clusters).toEqual([]);
        expect(result.unusable).toEqual([{ name: 'c', reason }]);
      },
    );

    it('should reuse a localKubectlProxy cluster', () => {
      const { clusters } = read(
        k8sPlugin({
          name: 'local',
          url: 'http://127.0.0.1:8001',
          authProvider: 'localKubectlProxy',
        }),
      );
      expect(clusters[0].connection).toEqual({
        type: 'localKubectlProxy',
        url: 'http://127.0.0.1:8001',
      });
    });

    it('should read the localKubectlProxy cluster locator as cluster local', () => {
      const { clusters } = read({
        kubernetes: { clusterLocatorMethods: [{ type: 'localKubectlProxy' }] },
      });
      expect(clusters).toEqual([
        expect.objectContaining({
          name: 'local',
          connection: {
            type: 'localKubectlProxy',
            url: 'http://127.0.0.1:8001',
          },
        }),
      ]);
    });

    it.each([
      [
        { name: 'c', url: 'https://k8s' },
        'kubernetes.clusterLocatorMethods[0].clusters[0] has no authProvider',
      ],
      [
        { name: 'c', authProvider: 'serviceAccount' },
        'kubernetes.clusterLocatorMethods[0].clusters[0].url is missing',
      ],
    ])('should report %j as unusable with the key', (entry, reason) => {
      expect(read(k8sPlugin(entry)).unusable).toEqual([{ name: 'c', reason }]);
    });

    it('should report locator types it cannot enumerate without I/O', () => {
      const result = read({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'gke', projectId: 'p' },
            { type: 'catalog' },
          ],
        },
      });
      expect(result.unusable).toEqual([
        {
          name: 'kubernetes.clusterLocatorMethods[0]',
          reason:
            "cluster locator type 'gke' is not read for background sync: declare its clusters under externalSecrets.clusters",
        },
        {
          name: 'kubernetes.clusterLocatorMethods[1]',
          reason:
            "cluster locator type 'catalog' is not read for background sync: declare its clusters under externalSecrets.clusters",
        },
      ]);
    });

    it("should let the plugin's own cluster win a name clash", () => {
      const result = read({
        ...own({ name: 'prod', url: 'https://own', mode: 'reconcile' }),
        ...k8sPlugin(
          {
            name: 'prod',
            url: 'https://k8s-plugin',
            authProvider: 'serviceAccount',
          },
          {
            name: 'other',
            url: 'https://other',
            authProvider: 'serviceAccount',
          },
        ),
      });
      expect(result.clusters.map(c => [c.name, c.source, c.mode])).toEqual([
        ['prod', 'externalSecrets.clusters', 'reconcile'],
        ['other', 'kubernetes.clusterLocatorMethods', 'observe'],
      ]);
    });

    it('should report a second cluster of the same name as unusable', () => {
      const result = read(
        k8sPlugin(
          { name: 'a', url: 'https://one', authProvider: 'serviceAccount' },
          { name: 'a', url: 'https://two', authProvider: 'serviceAccount' },
        ),
      );
      expect(result.clusters).toHaveLength(1);
      expect(result.unusable[0].reason).toContain("duplicate cluster name 'a'");
    });

    it('should ignore the Kubernetes plugin when useKubernetesPluginClusters is false', () => {
      const result = read({
        externalSecrets: { useKubernetesPluginClusters: false },
        ...k8sPlugin({ name: 'c', url: 'https://k8s', authProvider: 'google' }),
      });
      expect(result).toEqual({ clusters: [], unusable: [] });
    });

    it('should return nothing without any cluster config', () => {
      expect(read({})).toEqual({ clusters: [], unusable: [] });
    });
  });
});
