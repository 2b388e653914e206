import { createHash } from 'node:crypto';
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
  private readonly agents = new Map<string, http.Agent>();

  /** `maxSockets`: requests in flight to the apiserver at once; more queue here. */
  constructor(private readonly maxSockets = DEFAULT_MAX_SOCKETS) {}

  reuse(agent: http.Agent | https.Agent | undefined) {
    if (!agent) return agent;
    const Kind = POOLABLE.find(kind => agent.constructor === kind);
    if (!Kind) return agent;
    const options = (agent as https.Agent).options ?? {};
    const key = identity(Kind === https.Agent, options);
    let pooled = this.agents.get(key);
    if (!pooled) {
      pooled = new Kind({
        ...options,
        keepAlive: true,
        maxSockets: this.maxSockets,
      });
      this.agents.set(key, pooled);
      this.evictOldest();
    }
    return pooled;
  }

  /** Closes idle connections (backend shutdown). */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private evictOldest() {
    while (this.agents.size > MAX_AGENTS) {
      const [oldestKey, oldest] = this.agents.entries().next().value!;
      oldest.destroy();
      this.agents.delete(oldestKey);
    }
  }
}

function identity(tls: boolean, options: https.AgentOptions): string {
  const fields = [
    tls,
    options.ca,
    options.cert,
    options.key,
    options.pfx,
    options.passphrase,
    options.rejectUnauthorized,
    options.servername,
  ].map(value =>
    Buffer.isBuffer(value) ? value.toString('base64') : String(value),
  );
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
