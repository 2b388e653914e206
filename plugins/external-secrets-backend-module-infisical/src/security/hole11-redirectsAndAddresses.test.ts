import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AddressGuard } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  createTestWorld,
  errorText,
  infisicalStore,
  leakedCanaries,
  providerErrorOf,
  storeContext,
  universalAuthSecrets,
} from '../__testUtils__/testWorld';

/**
 * Hole 11 (issue #16), in the Infisical client: `fetch` followed redirects, so
 * a 307 from the configured host re-sent the login body (client id and
 * secret) to whatever host the Location named; and the client connected to
 * whatever address a host name resolved to. Now redirects are refused and
 * reported, and a store the backend marks as tenant-controlled (an
 * `addressGuard` in its StoreContext) has every resolved address checked
 * when the connection is opened.
 */

type Recorded = { method?: string; url?: string; body: string };

/** A plain HTTP server on 127.0.0.1 that records what it receives. */
async function startServer(
  answer: (
    req: IncomingMessage,
    res: import('node:http').ServerResponse,
  ) => void,
): Promise<{ server: Server; port: number; received: Recorded[] }> {
  const received: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      method: req.method,
      url: req.url,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    answer(req, res);
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    server,
    port: (server.address() as AddressInfo).port,
    received,
  };
}

const close = (server: Server) =>
  new Promise<void>(resolve => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('hole 11: the Infisical client refuses redirects', () => {
  let thief: Awaited<ReturnType<typeof startServer>>;
  let redirector: Awaited<ReturnType<typeof startServer>>;

  beforeEach(async () => {
    thief = await startServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          accessToken: 'stolen',
          expiresIn: 3600,
          accessTokenMaxTTL: 3600,
          tokenType: 'Bearer',
        }),
      );
    });
    redirector = await startServer((req, res) => {
      res.statusCode = 307;
      res.setHeader(
        'location',
        `http://localhost:${thief.port}${req.url}?token=canary-location-query`,
      );
      res.end();
    });
  });

  afterEach(async () => {
    await close(redirector.server);
    await close(thief.server);
  });

  it('should not follow a 307 on login: the other host receives nothing and the error names the status and the Location host', async () => {
    const world = createTestWorld({
      provider: { fetch: (input, init) => globalThis.fetch(input, init) },
    });
    const store = infisicalStore({
      hostAPI: `http://127.0.0.1:${redirector.port}/api`,
    });

    const validation = await world.provider.validateStore(store, world.context);
    const error = await providerErrorOf(() =>
      world.provider
        .newClient(store, world.context)
        .then(client => client.getSecret({ key: 'MY_SECRET_NAME' })),
    );

    expect(thief.received).toEqual([]);
    expect(redirector.received.length).toBeGreaterThan(0);
    expect(validation.ready).toBe(false);
    expect(validation.message).toContain(
      `answered HTTP 307: a redirect to localhost:${thief.port}, which is not followed`,
    );
    expect(error.errorType).toBe('INVALID_CONFIG');
    expect(error.details.hint).toMatch(/hostAPI/);
    const texts = [validation.message, errorText(error), ...world.lines];
    expect(leakedCanaries(texts)).toEqual([]);
    expect(texts.join('\n')).not.toContain('canary-location-query');
    await world.provider.shutdown();
  });
});

describe('hole 11: the Infisical client checks resolved addresses of tenant stores at connect time', () => {
  let server: InfisicalSimulatorServer;
  let world: ReturnType<typeof createTestWorld>;

  beforeEach(async () => {
    world = createTestWorld({
      provider: { fetch: (input, init) => globalThis.fetch(input, init) },
    });
    server = await startInfisicalSimulatorServer({
      simulator: world.simulator,
    });
  });

  afterEach(async () => {
    await world.provider.shutdown();
    await server.close();
  });

  /** A tenant's SecretStore in team-a, its credentials in its own namespace. */
  function tenantStore(hostAPI: string) {
    const ref = (key: string) => ({ name: 'infisical-creds', key });
    return infisicalStore({
      kind: 'SecretStore',
      namespace: 'team-a',
      hostAPI,
      auth: {
        universalAuthCredentials: {
          clientId: ref('clientId'),
          clientSecret: ref('clientSecret'),
        },
      },
    });
  }

  function tenantContext(guard: AddressGuard) {
    const secrets = Object.fromEntries(
      Object.entries(universalAuthSecrets()).map(([id, value]) => [
        `team-a/infisical-creds/${id.split('/').pop()}`,
        value,
      ]),
    );
    return {
      ...storeContext({ logger: world.logger, secrets, namespace: 'team-a' }),
      addressGuard: guard,
    };
  }

  /** Refuses loopback addresses and records what it was asked about. */
  function loopbackGuard(asked: string[]): AddressGuard {
    return {
      refusal(hostname, address) {
        asked.push(`${hostname} -> ${address}`);
        return /^(127\.|::1$|::ffff:127\.)/.test(address)
          ? `${hostname} resolves to ${address}, a loopback address`
          : undefined;
      },
    };
  }

  it.each([
    [
      'a host name resolving to 127.0.0.1',
      (port: number) => `http://localhost:${port}/api`,
    ],
    ['an IPv4 literal', (port: number) => `http://127.0.0.1:${port}/api`],
  ])(
    'should refuse %s when the context carries an address guard, before a byte is sent',
    async (_what, hostAPI) => {
      const asked: string[] = [];
      const store = tenantStore(hostAPI(server.port));

      const validation = await world.provider.validateStore(
        store,
        tenantContext(loopbackGuard(asked)),
      );

      expect(validation.ready).toBe(false);
      expect(validation.message).toContain('a loopback address');
      expect(asked.length).toBeGreaterThan(0);
      expect(world.simulator.requests()).toEqual([]);
      // A refused address is not a transient failure: no retry, no backoff.
      expect(world.sleeps).toEqual([]);
      expect(leakedCanaries([validation.message, ...world.lines])).toEqual([]);
    },
  );

  it('should connect as before when the context has no guard (admin stores)', async () => {
    const store = infisicalStore({ hostAPI: `${server.url}/api` });

    const validation = await world.provider.validateStore(store, world.context);

    expect(validation).toMatchObject({ ready: true });
  });

  it('should not let a tenant store reuse a connection an admin store opened to the same origin', async () => {
    const admin = infisicalStore({ hostAPI: `${server.url}/api` });
    const tenant = tenantStore(`${server.url}/api`);
    const adminValidation = await world.provider.validateStore(
      admin,
      world.context,
    );
    const requestsBefore = world.simulator.requests().length;

    const validation = await world.provider.validateStore(
      tenant,
      tenantContext(loopbackGuard([])),
    );

    expect(adminValidation.ready).toBe(true);
    expect(validation).toMatchObject({
      ready: false,
      message: expect.stringContaining('a loopback address'),
    });
    expect(world.simulator.requests()).toHaveLength(requestsBefore);
  });
});
