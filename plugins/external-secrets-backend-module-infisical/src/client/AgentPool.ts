import { createHash } from 'node:crypto';
import type { AddressGuard } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { Agent } from 'undici';
import { guardedConnector, type ResolveAll } from './guardedConnector';

/**
 * undici Agents shared by the stores that connect the same way (connections
 * are reused across cycles): one per CA bundle, and, for stores with an
 * address guard (tenant stores), one per guard and CA, so a tenant store
 * never reuses a connection an admin store opened. Verification stays on: an
 * Agent only adds the store's CA as the trust anchor.
 */
export class AgentPool {
  readonly #agents = new Map<string, Agent>();
  readonly #guardIds = new WeakMap<AddressGuard, number>();
  #nextGuardId = 1;

  constructor(private readonly resolveAll?: ResolveAll) {}

  /** The Agent for `caPem` and `guard`; undefined when neither is set (Node's default agent). */
  get(caPem?: string, guard?: AddressGuard): Agent | undefined {
    if (!caPem && !guard) return undefined;
    const caKey = caPem
      ? createHash('sha256').update(caPem).digest('hex')
      : 'system';
    const key = `${guard ? this.guardId(guard) : 0}:${caKey}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = guard
        ? new Agent({
            connect: guardedConnector(guard, { ca: caPem }, this.resolveAll),
          })
        : new Agent({ connect: { ca: caPem, rejectUnauthorized: true } });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  async closeAll(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map(agent => agent.close()));
  }

  private guardId(guard: AddressGuard): number {
    let id = this.#guardIds.get(guard);
    if (id === undefined) {
      id = this.#nextGuardId++;
      this.#guardIds.set(guard, id);
    }
    return id;
  }
}
