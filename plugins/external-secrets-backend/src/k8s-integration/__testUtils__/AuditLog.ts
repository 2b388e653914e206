import { ApiException } from '@kubernetes/client-node';
import { open, stat } from 'node:fs/promises';
import { KubeAdmin, uniqueName } from './KubeAdmin';

/** One request as the apiserver's audit log (level Metadata) records it. */
export type AuditEvent = {
  verb: string;
  requestURI: string;
  user: { username: string };
  objectRef?: {
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
  };
  responseStatus?: { code?: number; reason?: string };
};

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

/**
 * The apiserver's own record of every request: how the tests count what the
 * plugin really sent, without trusting the plugin's account of it.
 *
 * The log is written when a request completes, which can be a moment after the
 * client has its answer; a sentinel request that the tests wait to see in the
 * log orders everything sent before it.
 */
export class AuditLog {
  constructor(
    private readonly path: string,
    private readonly admin: KubeAdmin,
  ) {}

  /** A position in the log; `since()` returns what was logged after it. */
  async checkpoint(): Promise<number> {
    await this.flush();
    return (await stat(this.path)).size;
  }

  async since(checkpoint: number): Promise<AuditEvent[]> {
    await this.flush();
    return this.readFrom(checkpoint);
  }

  /** What `user` changed (create, update, patch, delete) after the checkpoint. */
  async writesBy(user: string, checkpoint: number): Promise<AuditEvent[]> {
    return (await this.since(checkpoint)).filter(
      e => e.user.username === user && WRITE_VERBS.has(e.verb),
    );
  }

  private async flush(): Promise<void> {
    const sentinel = uniqueName('audit-sentinel');
    const from = (await stat(this.path)).size;
    try {
      await this.admin.core.readNamespace({ name: sentinel });
    } catch (e) {
      if (!(e instanceof ApiException && e.code === 404)) throw e;
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const events = await this.readFrom(from);
      if (events.some(e => e.objectRef?.name === sentinel)) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(
      `the audit log ${this.path} did not record the sentinel request within 10 s`,
    );
  }

  private async readFrom(offset: number): Promise<AuditEvent[]> {
    const file = await open(this.path, 'r');
    try {
      const { size } = await file.stat();
      const buffer = Buffer.alloc(Math.max(0, size - offset));
      await file.read(buffer, 0, buffer.length, offset);
      const text = buffer.toString('utf8');
      // A line still being written has no newline yet: leave it for the next read.
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      return complete
        .split('\n')
        .filter(line => line.trim() !== '')
        .map(line => JSON.parse(line) as AuditEvent);
    } finally {
      await file.close();
    }
  }
}
