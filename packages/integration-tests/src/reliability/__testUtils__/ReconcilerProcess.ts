/**
 * The parent's handle on one backend replica running in a real child process
 * (reconcilerProcessMain.ts under Backstage's node transform): start it, follow
 * its reconcile cycles, call its API, SIGKILL it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { JsonObject } from '@backstage/types';

/** Messages a replica sends over IPC. */
export type ChildMessage =
  | { type: 'ready'; replica: string; port: number }
  | {
      type: 'cycle';
      replica: string;
      /** The cluster of a per-cluster cycle. */
      cluster?: string;
      startedAt: number;
      endedAt: number;
      externalSecrets: number;
      synced: number;
      failed: number;
      skipped: number;
    };

export type CycleMessage = Extract<ChildMessage, { type: 'cycle' }>;

/**
 * Where a replica keeps its state: SQLite files in a directory (Backstage
 * writes one file per plugin, `<directory>/external-secrets.sqlite`) or a
 * PostgreSQL database.
 */
export type ReplicaDatabase =
  | { kind: 'sqlite'; directory: string }
  | { kind: 'postgres'; connectionString: string };

const ENTRY = resolve(__dirname, 'reconcilerProcessMain.ts');

function databaseConfig(database: ReplicaDatabase): JsonObject {
  if (database.kind === 'sqlite') {
    return {
      client: 'better-sqlite3',
      connection: { directory: database.directory },
    };
  }
  const url = new URL(database.connectionString);
  return {
    client: 'pg',
    connection: {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    },
    plugin: {
      'external-secrets': {
        connection: { database: url.pathname.slice(1) },
      },
    },
  };
}

export class ReconcilerProcess {
  readonly cycles: CycleMessage[] = [];
  #port?: number;
  #exited = false;
  private constructor(
    readonly replica: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: ChildMessage) => {
      if (message?.type === 'cycle') this.cycles.push(message);
    });
    child.on('exit', () => {
      this.#exited = true;
    });
  }

  /** Forks a replica and waits until its HTTP server listens. */
  static async start(options: {
    replica: string;
    database: ReplicaDatabase;
    externalSecrets: JsonObject;
  }): Promise<ReconcilerProcess> {
    const child = fork(ENTRY, [], {
      execArgv: [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      env: {
        ...process.env,
        // The scheduler's janitor (frees claims of dead replicas) runs only outside tests.
        NODE_ENV: 'production',
        RELIABILITY_REPLICA: options.replica,
        RELIABILITY_CONFIG: JSON.stringify({
          backend: { database: databaseConfig(options.database) },
          externalSecrets: options.externalSecrets,
        }),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const handle = new ReconcilerProcess(options.replica, child);
    handle.#port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.replica} did not start in 60 s`)),
        60_000,
      );
      child.on('message', (message: ChildMessage) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        resolvePort(message.port);
      });
      child.on('exit', code => {
        clearTimeout(timer);
        reject(new Error(`${options.replica} exited with ${code}`));
      });
    });
    return handle;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Resolves with the next cycle that ends after now and satisfies `accept`. */
  async nextCycle(
    accept: (cycle: CycleMessage) => boolean = () => true,
    timeoutMs = 60_000,
  ): Promise<CycleMessage> {
    const seen = this.cycles.length;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.cycles.slice(seen).find(accept);
      if (found) return found;
      if (this.#exited) throw new Error(`${this.replica} exited`);
      if (Date.now() > deadline) {
        throw new Error(
          `${this.replica}: no matching cycle in ${timeoutMs} ms`,
        );
      }
      await new Promise(r => setTimeout(r, 50));
    }
  }

  /** SIGKILL: no shutdown hooks, no lock release, as a crashed pod. */
  async kill(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise(r => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** A graceful stop (SIGTERM), for teardown. */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise(r => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}
