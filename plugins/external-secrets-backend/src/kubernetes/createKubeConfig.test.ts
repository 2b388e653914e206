import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  createKubeConfig,
  SERVICE_ACCOUNT_TOKEN_PATH,
} from './createKubeConfig';

describe('createKubeConfig', () => {
  it('should authenticate with the configured token', () => {
    const kubeConfig = createKubeConfig('prod', {
      type: 'serviceAccount',
      url: 'https://k8s.example.com/',
      token: SecretValue.fromString('abc'),
      caData: 'Q0E=',
      skipTLSVerify: false,
    });
    expect(kubeConfig.getCurrentCluster()).toMatchObject({
      name: 'prod',
      server: 'https://k8s.example.com',
      caData: 'Q0E=',
      skipTLSVerify: false,
    });
    expect(kubeConfig.getCurrentUser()?.token).toBe('abc');
  });

  it('should read the mounted service account token when none is configured', () => {
    const kubeConfig = createKubeConfig('self', {
      type: 'serviceAccount',
      url: 'https://kubernetes.default.svc',
      skipTLSVerify: false,
    });
    expect(kubeConfig.getCurrentUser()).toEqual({
      name: 'service-account',
      authProvider: {
        name: 'tokenFile',
        config: { tokenFile: SERVICE_ACCOUNT_TOKEN_PATH },
      },
    });
  });

  it('should allow plain HTTP, which the client only accepts with TLS verification off', () => {
    const kubeConfig = createKubeConfig('local', {
      type: 'localKubectlProxy',
      url: 'http://127.0.0.1:8001',
    });
    expect(kubeConfig.getCurrentCluster()?.skipTLSVerify).toBe(true);
    expect(kubeConfig.getCurrentUser()?.token).toBeUndefined();
  });

  it('should keep TLS verification on for HTTPS unless told otherwise', () => {
    const kubeConfig = createKubeConfig('prod', {
      type: 'serviceAccount',
      url: 'https://k8s',
      skipTLSVerify: false,
    });
    expect(kubeConfig.getCurrentCluster()?.skipTLSVerify).toBe(false);
  });

  it('should read the in-cluster service host', () => {
    const saved = { ...process.env };
    process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    try {
      const kubeConfig = createKubeConfig('here', { type: 'inCluster' });
      expect(kubeConfig.getCurrentCluster()?.server).toBe(
        'https://10.96.0.1:443',
      );
    } finally {
      process.env = saved;
    }
  });
});
