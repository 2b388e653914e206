import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { InfisicalSimulator, startInfisicalSimulatorServer } from './infisical';
import { readSimulatorTls, simulatorTlsDir } from './tls';

function getStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, res => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('simulator TLS material', () => {
  it('is found in the folder the package ships (files: tls), not in src', () => {
    const dir = simulatorTlsDir();
    expect(dir.endsWith(join('external-secrets-test-utils', 'tls'))).toBe(true);
    for (const file of ['ca.pem', 'server.pem', 'server.key']) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
  });

  it('serves the simulator over HTTPS that a client trusting only its CA accepts', async () => {
    const tls = readSimulatorTls();
    expect(
      new X509Certificate(tls.cert).checkIssued(new X509Certificate(tls.ca)),
    ).toBe(true);
    const server = await startInfisicalSimulatorServer({
      simulator: new InfisicalSimulator(),
      port: 0,
      tls,
    });
    try {
      const status = await getStatus(`${server.url}/api/status`, tls.ca);
      // An unknown route: the answer itself does not matter, the handshake does.
      expect(status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
