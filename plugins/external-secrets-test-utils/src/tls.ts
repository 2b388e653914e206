import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder of the test-only TLS material (shipped with this package): a
 * self-signed CA and a `localhost` / `127.0.0.1` server certificate signed by
 * it. The keys protect nothing; see `tls/README.md`.
 *
 * @public
 */
export function simulatorTlsDir(): string {
  return resolvePackagePath(
    '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils',
    'tls',
  );
}

/**
 * The test-only TLS material, PEM-encoded: `ca` to trust, `key` and `cert` to
 * serve the Infisical simulator over HTTPS on localhost.
 *
 * @public
 */
export type SimulatorTls = {
  /** The CA certificate that signed `cert`. */
  ca: string;
  /** The server's private key. */
  key: string;
  /** The server certificate for `localhost` and `127.0.0.1`. */
  cert: string;
};

/**
 * Reads the test-only TLS material from {@link simulatorTlsDir}.
 *
 * @public
 */
export function readSimulatorTls(): SimulatorTls {
  const dir = simulatorTlsDir();
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return {
    ca: read('ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
  };
}
