import http from 'node:http';
import https from 'node:https';

/** Connections per cluster when not told (the reconciler passes concurrency.kubernetesRequests). */
export const DEFAULT_MAX_SOCKETS = 32;
/** Distinct TLS identities kept (client certificates rotate through exec plugins). */
const MAX_AGENTS = 4;
/** Exactly these classes: proxy agents subclass them and must stay as built. */
const POOLABLE = [https.Agent, http.Agent];

/**
 * Reuses connections to one apiserver. The client library authenticates each
 * request by building a fresh agent (its TLS options: CA, client certificate,
 * server name), so every request paid a new TCP and TLS handshake. This swaps
 * such an agent for a keep-alive agent with the same options, one per distinct
 * set of options. Proxy agents are left alone.
 */
export class KeepAliveAgents {
  /** Oldest first; a handful at most (MAX_AGENTS), so a linear search. */
  private readonly agents: { identity: unknown[]; agent: http.Agent }[] = [];

  /** `maxSockets`: requests in flight to the apiserver at once; more queue here. */
  constructor(private readonly maxSockets = DEFAULT_MAX_SOCKETS) {}

  reuse(agent: http.Agent | https.Agent | undefined) {
    if (!agent) return agent;
    const Kind = POOLABLE.find(kind => agent.constructor === kind);
    if (!Kind) return agent;
    const options = (agent as https.Agent).options ?? {};
    const wanted = identity(Kind === https.Agent, options);
    const found = this.agents.find(entry =>
      sameIdentity(entry.identity, wanted),
    );
    if (found) return found.agent;
    const pooled = new Kind({
      ...options,
      keepAlive: true,
      maxSockets: this.maxSockets,
    });
    this.agents.push({ identity: wanted, agent: pooled });
    this.evictOldest();
    return pooled;
  }

  /** Closes idle connections (backend shutdown). */
  destroy(): void {
    for (const { agent } of this.agents) agent.destroy();
    this.agents.length = 0;
  }

  private evictOldest() {
    while (this.agents.length > MAX_AGENTS) {
      this.agents.shift()!.agent.destroy();
    }
  }
}

/**
 * What makes two agents interchangeable: their TLS options. Compared field by
 * field (certificates byte for byte) on every request, which costs far less
 * than hashing them did (the library builds a fresh agent, with fresh
 * buffers, for each request).
 */
function identity(tls: boolean, options: https.AgentOptions): unknown[] {
  return [
    tls,
    options.ca,
    options.cert,
    options.key,
    options.pfx,
    options.passphrase,
    options.rejectUnauthorized,
    options.servername,
  ];
}

function sameIdentity(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null
  ) {
    // A PxfObject ({ buf, passphrase }) or a KeyObject-like value.
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    return (
      keysA.length === keysB.length &&
      keysA.every(k =>
        sameValue(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
        ),
      )
    );
  }
  return false;
}
