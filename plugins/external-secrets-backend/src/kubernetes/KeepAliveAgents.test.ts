import { simulatorTlsDir } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import { KubernetesClusterClient } from './KubernetesClusterClient';

const tlsDir = simulatorTlsDir();
const tls = (file: string) => readFileSync(resolve(tlsDir, file));

describe('KubernetesClusterClient connection reuse', () => {
  let sim: KubernetesSimulator | undefined;
  let client: KubernetesClusterClient | undefined;

  afterEach(async () => {
    client?.close();
    await sim?.stop();
  });

  function clientFor(s: KubernetesSimulator, caData?: string) {
    return KubernetesClusterClient.fromConfig({
      name: 'sim',
      connection: {
        type: 'serviceAccount',
        url: s.url,
        token: SecretValue.fromString(s.token),
        skipTLSVerify: false,
        ...(caData && { caData }),
      },
    });
  }

  async function requests(c: KubernetesClusterClient, count: number) {
    for (let i = 0; i < count; i++) {
      await c.listSecrets({ namespace: 'team-a' });
    }
  }

  it('should send sequential requests over one connection', async () => {
    sim = await startKubernetesSimulator();
    client = clientFor(sim);

    await requests(client, 5);

    expect(sim.requests).toHaveLength(5);
    expect(sim.connections).toBe(1);
  });

  it('should keep one TLS connection, verified against the configured CA', async () => {
    sim = await startKubernetesSimulator({
      tls: { cert: tls('server.pem'), key: tls('server.key') },
    });
    client = clientFor(sim, tls('ca.pem').toString('base64'));

    await requests(client, 5);

    expect(sim.requests).toHaveLength(5);
    expect(sim.connections).toBe(1);
  });

  it('should open up to maxConnections connections for concurrent requests, then queue', async () => {
    sim = await startKubernetesSimulator();
    client = KubernetesClusterClient.fromConfig(
      {
        name: 'sim',
        connection: {
          type: 'serviceAccount',
          url: sim.url,
          token: SecretValue.fromString(sim.token),
          skipTLSVerify: false,
        },
      },
      // The reconciler passes concurrency.kubernetesRequests: the pool, not a
      // fixed 16, bounds the requests in flight to one apiserver.
      { maxConnections: 24 },
    );

    await Promise.all(
      Array.from({ length: 40 }, () =>
        client!.listSecrets({ namespace: 'team-a' }),
      ),
    );

    expect(sim.requests).toHaveLength(40);
    expect(sim.connections).toBe(24);
  });

  it('should still refuse a server its CA does not vouch for', async () => {
    sim = await startKubernetesSimulator({
      tls: { cert: tls('server.pem'), key: tls('server.key') },
    });
    client = clientFor(sim);

    await expect(requests(client, 1)).rejects.toThrow(/certificate/i);
  });
});
