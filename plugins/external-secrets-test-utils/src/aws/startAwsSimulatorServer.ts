import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsSecretsManagerSimulator } from './AwsSecretsManagerSimulator';

/** A running simulator server; `close()` stops it. @public */
export type AwsSimulatorServer = {
  /** `http://127.0.0.1:PORT`: the module's `endpoints.secretsManager`. */
  url: string;
  close(): Promise<void>;
};

/**
 * Serves an AwsSecretsManagerSimulator over HTTP on 127.0.0.1 (port 0: a
 * free one), for the demo backend and tests.
 *
 * @public
 */
export async function startAwsSimulatorServer(options: {
  simulator: AwsSecretsManagerSimulator;
  port?: number;
  /** Added before every answer (benchmarks). Default 0. */
  latencyMs?: number;
}): Promise<AwsSimulatorServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      if (options.latencyMs)
        await new Promise(r => setTimeout(r, options.latencyMs));
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length
          ? JSON.parse(Buffer.concat(chunks).toString())
          : {};
      } catch {
        body = {};
      }
      const answer = options.simulator.handle(
        String(req.headers['x-amz-target'] ?? ''),
        body,
      );
      res.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
