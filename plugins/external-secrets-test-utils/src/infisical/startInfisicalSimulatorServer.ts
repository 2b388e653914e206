import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { InfisicalSimulator } from './InfisicalSimulator';

/** A running simulator server. @public */
export type InfisicalSimulatorServer = {
  /** `http(s)://localhost:<port>`: use as a store's `hostAPI`. */
  url: string;
  port: number;
  close(): Promise<void>;
};

/**
 * Serves `simulator` over HTTP, or HTTPS when `tls` is given, on 127.0.0.1
 * only (never on other interfaces). Port 0 picks a free port.
 *
 * @public
 */
export async function startInfisicalSimulatorServer(options: {
  simulator: InfisicalSimulator;
  port?: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
}): Promise<InfisicalSimulatorServer> {
  const { simulator, tls } = options;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    serve(simulator, req, res, tls ? 'https' : 'http').catch(error => {
      res.statusCode = 500;
      res.end(
        JSON.stringify({
          statusCode: 500,
          error: 'InternalServerError',
          message: String(error),
        }),
      );
    });
  };
  const server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}

async function serve(
  simulator: InfisicalSimulator,
  req: IncomingMessage,
  res: ServerResponse,
  scheme: string,
) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : value ?? '',
    ]),
  );
  const response = await simulator.handle({
    method: req.method ?? 'GET',
    url: `${scheme}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`,
    headers,
    body: text ? parseJson(text) : undefined,
  });
  if ('networkError' in response) {
    req.socket.destroy();
    return;
  }
  res.writeHead(response.status, response.headers);
  res.end(
    response.body === undefined ? undefined : JSON.stringify(response.body),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
