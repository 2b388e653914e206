import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AddressGuard } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { AgentPool } from './AgentPool';
import { ADDRESS_REFUSED, type ResolveAll } from './guardedConnector';

/** Refuses loopback; records each (host, address) it was asked about. */
function loopbackGuard(asked: string[]): AddressGuard {
  return {
    refusal(hostname, address) {
      asked.push(`${hostname} ${address}`);
      return address.startsWith('127.') ? `${address} is loopback` : undefined;
    },
  };
}

/** A resolver answering from a script, one answer per lookup: no DNS at all. */
function scriptedResolver(answers: string[][]): ResolveAll {
  let call = 0;
  return (_hostname, _options, callback) => {
    const addresses = answers[Math.min(call++, answers.length - 1)];
    callback(
      null,
      addresses.map(address => ({
        address,
        family: address.includes(':') ? 6 : 4,
      })),
    );
  };
}

async function failureCode(url: string, dispatcher: unknown) {
  try {
    await fetch(url, { dispatcher } as RequestInit);
    return 'connected';
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code;
  }
}

describe('guardedConnector', () => {
  let server: Server;
  let port: number;
  let hits: number;

  beforeEach(async () => {
    hits = 0;
    server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('should refuse a name the resolver maps to 127.0.0.1, although nothing about the name says so', async () => {
    const asked: string[] = [];
    const pool = new AgentPool(scriptedResolver([['127.0.0.1']]));
    const agent = pool.get(undefined, loopbackGuard(asked));

    const code = await failureCode(
      `http://infisical.tenant.example:${port}/`,
      agent,
    );

    expect(code).toBe(ADDRESS_REFUSED);
    expect(asked).toEqual(['infisical.tenant.example 127.0.0.1']);
    expect(hits).toBe(0);
    await pool.closeAll();
  });

  it('should refuse a name when any of its addresses is refused', async () => {
    const pool = new AgentPool(
      scriptedResolver([['203.0.113.7', '127.0.0.1']]),
    );
    const agent = pool.get(undefined, loopbackGuard([]));

    expect(
      await failureCode(`http://mixed.tenant.example:${port}/`, agent),
    ).toBe(ADDRESS_REFUSED);
    expect(hits).toBe(0);
    await pool.closeAll();
  });

  it('should check the address of each new connection, so a rebinding answer is caught when it is used', async () => {
    const asked: string[] = [];
    // First lookup: an address the guard accepts (and the server is there);
    // second lookup, for a new connection: the rebinding answer.
    const allowFirst: AddressGuard = {
      refusal(_hostname, address) {
        asked.push(address);
        return asked.length > 1 ? `${address} refused on rebinding` : undefined;
      },
    };
    const pool = new AgentPool(
      scriptedResolver([['127.0.0.1'], ['127.0.0.1']]),
    );
    const agent = pool.get(undefined, allowFirst)!;
    const url = `http://rebind.tenant.example:${port}/`;

    expect(await failureCode(url, agent)).toBe('connected');
    // Drop the pooled connection so the next request opens a new one.
    server.closeAllConnections();
    await new Promise(resolve => setTimeout(resolve, 20));
    const second = await failureCode(url, agent);

    expect(second).toBe(ADDRESS_REFUSED);
    expect(hits).toBe(1);
    await pool.closeAll();
  });

  it('should connect through the resolver when the guard accepts the address', async () => {
    const pool = new AgentPool(scriptedResolver([['127.0.0.1']]));
    const agent = pool.get(undefined, { refusal: () => undefined });

    expect(await failureCode(`http://ok.tenant.example:${port}/`, agent)).toBe(
      'connected',
    );
    expect(hits).toBe(1);
    await pool.closeAll();
  });

  it('should give admin stores without a CA no agent (Node default) and separate agents per guard', async () => {
    const pool = new AgentPool();
    const guard = loopbackGuard([]);

    expect(pool.get()).toBeUndefined();
    expect(pool.get(undefined, guard)).toBe(pool.get(undefined, guard));
    expect(pool.get('ca-pem', guard)).not.toBe(pool.get('ca-pem'));
    await pool.closeAll();
  });
});
