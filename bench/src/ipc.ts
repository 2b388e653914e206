/**
 * Request/response over a child process's IPC channel. Messages carry an id;
 * anything else on the channel (Backstage's node transform sends `watch`
 * notices) is ignored.
 */
import type { ChildProcess } from 'node:child_process';

type Envelope = {
  benchId?: number;
  benchReply?: number;
  op?: string;
  payload?: unknown;
  error?: string;
};

type Channel = Pick<NodeJS.Process, 'send' | 'on' | 'off'> | ChildProcess;

/** The caller's side: `call(op, payload)` resolves with the other side's answer. */
export function ipcClient(channel: Channel) {
  let next = 1;
  const pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  const onMessage = (message: Envelope) => {
    if (!message || typeof message.benchReply !== 'number') return;
    const waiter = pending.get(message.benchReply);
    if (!waiter) return;
    pending.delete(message.benchReply);
    if (message.error) waiter.reject(new Error(message.error));
    else waiter.resolve(message.payload);
  };
  channel.on('message', onMessage);
  return {
    call<T>(op: string, payload?: unknown): Promise<T> {
      const benchId = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(benchId, {
          resolve: value => resolve(value as T),
          reject,
        });
        channel.send!({ benchId, op, payload } satisfies Envelope);
      });
    },
    /** Fails every call still waiting (the other side went away). */
    failAll(reason: string) {
      for (const waiter of pending.values()) waiter.reject(new Error(reason));
      pending.clear();
    },
    close() {
      channel.off('message', onMessage);
    },
  };
}

/** The callee's side: answers each `op` with its handler's result. */
export function ipcServe(
  channel: Channel,
  handlers: Record<string, (payload: any) => Promise<unknown> | unknown>,
) {
  channel.on('message', async (message: Envelope) => {
    if (!message || typeof message.benchId !== 'number' || !message.op) return;
    const handler = handlers[message.op];
    try {
      if (!handler) throw new Error(`unknown operation ${message.op}`);
      const payload = await handler(message.payload);
      channel.send!({ benchReply: message.benchId, payload });
    } catch (e) {
      channel.send!({
        benchReply: message.benchId,
        error: (e as Error).stack ?? String(e),
      });
    }
  });
}
