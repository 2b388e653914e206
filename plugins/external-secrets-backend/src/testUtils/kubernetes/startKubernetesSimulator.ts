/**
 * A small Kubernetes API server on 127.0.0.1 for tests and the demo backend
 * ("simulated cluster"): core/v1 Secrets, ConfigMaps and Namespaces and ESO's
 * external-secrets.io/v1 ExternalSecrets, SecretStores and ClusterSecretStores,
 * with the apiserver semantics the plugin depends on (see SimulatorStore and
 * handleApiRequest), watch included (WatchHub). It is NOT a conformance-tested
 * apiserver: no RBAC engine, field selectors, CRD schema validation, admission or garbage collection.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { FaultInjector, SimulatorFault } from './FaultInjector';
import { ApiResponse, handleApiRequest } from './handleApiRequest';
import { KubernetesVerb } from './parseRequestPath';
import { resourceTypeByKind, SimulatedKind } from './resources';
import { SimulatorStore, StoredObject } from './SimulatorStore';
import { WatchHub, WatchRequest } from './WatchHub';

/**
 * Options of `startKubernetesSimulator`: the bearer token it accepts, anonymous access,
 * the port and TLS material.
 *
 * @public
 */
export type KubernetesSimulatorOptions = {
  /** Bearer token clients must send; random by default. */
  token?: string;
  /** Accept requests without a token (like `kubectl proxy`). Default false. */
  allowAnonymous?: boolean;
  /** The user named in 403 messages. Default `system:serviceaccount:backstage:backstage`. */
  user?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Objects stored before the server starts. */
  objects?: StoredObject[];
};

/** One request as the simulator saw it (never its body). @public */
export type SimulatorRequest = {
  method: string;
  /** The RBAC verb, when the path is one the simulator serves. */
  verb?: KubernetesVerb;
  /** `secrets`, `externalsecrets/status`, ... */
  resource?: string;
  namespace?: string;
  name?: string;
  path: string;
  query: Record<string, string>;
  accept?: string;
  contentType?: string;
  /** The HTTP status answered; 0 while the request is still running or when a fault dropped the connection. */
  status: number;
};

/** Identifies one stored object. @public */
export type SimulatorObjectRef = {
  kind: SimulatedKind;
  name: string;
  /** Required for namespaced kinds. */
  namespace?: string;
};

/** A running simulator. @public */
export type KubernetesSimulator = {
  /** `http://127.0.0.1:<port>` (or `https://`). */
  url: string;
  token: string;
  /** The requests received so far, oldest first. */
  readonly requests: SimulatorRequest[];
  /** The current global resourceVersion. */
  readonly resourceVersion: string;
  /** Stores objects directly (create or replace), creating namespaces on demand. */
  seed(...objects: StoredObject[]): StoredObject[];
  /** Seeds every document of a (multi-document) YAML text. */
  seedYaml(text: string): StoredObject[];
  /** A copy of the stored object, or undefined. */
  get(ref: SimulatorObjectRef): StoredObject | undefined;
  /** Copies of the stored objects of a kind, optionally in one namespace. */
  list(kind: SimulatedKind, namespace?: string): StoredObject[];
  /** Deletes an object directly; false when it did not exist. */
  remove(ref: SimulatorObjectRef): boolean;
  injectFault(fault: SimulatorFault): void;
  clearFaults(): void;
  clearRequests(): void;
  /** TCP (or TLS) connections accepted so far: keep-alive shows as few. */
  readonly connections: number;
  /** Clears objects, faults and the request log. */
  reset(): void;
  /**
   * Forgets the watch history, as an etcd compaction does: a watch resumed
   * from an older resourceVersion gets 410 Gone and must list again.
   */
  compactWatchHistory(): void;
  /** Ends every open watch stream (a dropped connection). */
  closeWatches(): void;
  /** A kubeconfig (YAML) that points at this simulator with its token. */
  kubeconfig(options?: { context?: string }): string;
  stop(): Promise<void>;
};

const MAX_BODY_BYTES = 3 * 1024 * 1024;

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: http.ServerResponse, result: ApiResponse): void {
  if (response.destroyed) return;
  response.statusCode = result.status;
  response.setHeader('Content-Type', result.contentType);
  if (result.retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', String(result.retryAfterSeconds));
  }
  response.end(JSON.stringify(result.body));
}

function typeOf(kind: SimulatedKind) {
  const type = resourceTypeByKind(kind);
  if (!type)
    throw new Error(`The Kubernetes simulator does not store kind '${kind}'`);
  return type;
}

/**
 * Starts the simulator. Stop it with `stop()` (tests: in `afterAll`).
 *
 * @public
 */
export async function startKubernetesSimulator(
  options: KubernetesSimulatorOptions = {},
): Promise<KubernetesSimulator> {
  const watches = new WatchHub();
  const store = new SimulatorStore(change => watches.publish(change));
  const faults = new FaultInjector();
  const requests: SimulatorRequest[] = [];
  const stopping = new AbortController();
  const context = {
    store,
    faults,
    token: options.token ?? randomBytes(24).toString('base64url'),
    allowAnonymous: options.allowAnonymous ?? false,
    user: options.user ?? 'system:serviceaccount:backstage:backstage',
  };
  for (const object of options.objects ?? []) store.seed(object);

  const stream = (
    response: http.ServerResponse,
    request: WatchRequest,
  ): void => {
    response.statusCode = 200;
    response.setHeader('Content-Type', 'application/json');
    response.setHeader('Transfer-Encoding', 'chunked');
    response.flushHeaders();
    const stop = watches.start(request, {
      write: line => {
        if (!response.destroyed) response.write(line);
      },
      end: () => response.end(),
    });
    response.on('close', stop);
  };

  const handler = async (
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const entry: SimulatorRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      accept: request.headers.accept,
      contentType: request.headers['content-type'],
      status: 0,
    };
    requests.push(entry);
    try {
      const body = await readBody(request);
      const handled = handleApiRequest(context, {
        method: entry.method,
        url,
        authorization: request.headers.authorization,
        accept: request.headers.accept,
        contentType: request.headers['content-type'],
        body,
      });
      Object.assign(entry, {
        verb: handled.parsed?.verb,
        resource: handled.parsed?.resource,
        namespace: handled.parsed?.namespace,
        name: handled.parsed?.name,
      });
      if (handled.fault?.latencyMs) {
        await sleep(handled.fault.latencyMs, undefined, {
          signal: stopping.signal,
        });
      }
      if (handled.fault?.gate) await handled.fault.gate.catch(() => undefined);
      if (handled.fault?.dropConnection) {
        request.socket.destroy();
        return;
      }
      const result = handled.respond();
      entry.status = result.status;
      if (result.watch) {
        stream(response, result.watch);
        return;
      }
      send(response, result);
    } catch (error) {
      entry.status = 500;
      if (!response.destroyed && !response.headersSent) {
        response.statusCode = 500;
        response.end(String(error));
      }
    }
  };

  const server = options.tls
    ? https.createServer(
        { cert: options.tls.cert, key: options.tls.key },
        handler,
      )
    : http.createServer(handler);
  let connections = 0;
  server.on(options.tls ? 'secureConnection' : 'connection', () => {
    connections++;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://${address.address}:${address.port}`;

  const simulator: KubernetesSimulator = {
    url,
    token: context.token,
    requests,
    get resourceVersion() {
      return store.resourceVersion;
    },
    get connections() {
      return connections;
    },
    seed: (...objects) => objects.map(object => store.seed(object)),
    seedYaml: text =>
      parseAllDocuments(text)
        .map(document => document.toJS() as StoredObject | null)
        .filter((object): object is StoredObject => object !== null)
        .map(object => store.seed(object)),
    get: ref => store.find(typeOf(ref.kind), ref.namespace, ref.name),
    list: (kind, namespace) => store.list(typeOf(kind), namespace),
    remove: ref => {
      const type = typeOf(ref.kind);
      if (!store.find(type, ref.namespace, ref.name)) return false;
      store.delete(type, ref.namespace, ref.name);
      return true;
    },
    injectFault: fault => faults.add(fault),
    clearFaults: () => faults.clear(),
    clearRequests: () => {
      requests.length = 0;
    },
    compactWatchHistory: () => watches.compact(),
    closeWatches: () => watches.closeAll(),
    reset: () => {
      watches.closeAll();
      watches.compact();
      store.reset();
      faults.clear();
      requests.length = 0;
    },
    kubeconfig: ({ context: contextName = 'simulator' } = {}) =>
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'simulator',
            cluster: {
              server: url,
              ...(scheme === 'http' && { 'insecure-skip-tls-verify': true }),
            },
          },
        ],
        users: [{ name: 'simulator', user: { token: context.token } }],
        contexts: [
          {
            name: contextName,
            context: { cluster: 'simulator', user: 'simulator' },
          },
        ],
        'current-context': contextName,
      }),
    stop: async () => {
      stopping.abort();
      watches.closeAll();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
  return simulator;
}
