import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of moto that answers the next `throttle` requests
 * with AWS's ThrottlingException (moto never throttles), then forwards.
 */
export async function startThrottlingProxy(target: string) {
  const state = { throttle: 0, throttled: 0 };
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (state.throttle > 0) {
      state.throttle--;
      state.throttled++;
      req.resume();
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': `throttled-${state.throttled}`,
      });
      res.end(
        JSON.stringify({
          __type: 'ThrottlingException',
          message: 'Rate exceeded',
        }),
      );
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
