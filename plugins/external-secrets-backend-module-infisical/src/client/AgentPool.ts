import { createHash } from 'node:crypto';
import { Agent } from 'undici';

/**
 * One undici Agent per distinct CA bundle, shared by the stores that trust it
 * (connections are reused across cycles). Verification stays on: the Agent only
 * adds the store's CA as the trust anchor.
 */
export class AgentPool {
  readonly #agents = new Map<string, Agent>();

  get(caPem: string): Agent {
    const key = createHash('sha256').update(caPem).digest('hex');
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new Agent({ connect: { ca: caPem, rejectUnauthorized: true } });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  async closeAll(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map(agent => agent.close()));
  }
}
