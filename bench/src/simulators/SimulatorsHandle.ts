import { fork, type ChildProcess } from 'node:child_process';
import { ipcClient } from '../ipc';
import { TS_EXEC_ARGV } from '../tsExec';
import type { Workload } from '../workload';
import type {
  PropagationResult,
  SimulatorCounts,
  SimulatorEndpoints,
} from './types';

/** The runner's handle on the simulators process. */
export class SimulatorsHandle {
  private constructor(
    private readonly child: ChildProcess,
    private readonly ipc: ReturnType<typeof ipcClient>,
    readonly endpoints: SimulatorEndpoints,
  ) {}

  static async start(workload: Workload): Promise<SimulatorsHandle> {
    const child = fork(require.resolve('./simulatorsProcess.ts'), [], {
      execArgv: TS_EXEC_ARGV,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ipc = ipcClient(child);
    child.once('exit', code =>
      ipc.failAll(`the simulators process exited (${code})`),
    );
    const endpoints = await ipc.call<SimulatorEndpoints>('setup', workload);
    return new SimulatorsHandle(child, ipc, endpoints);
  }

  /** Request counts since the previous call (the logs are cleared). */
  counts(): Promise<SimulatorCounts> {
    return this.ipc.call('counts');
  }

  /** Changes one remote value; with `webhook`, Infisical then delivers its signed `secrets.modified`. */
  changeValue(options: {
    scope: number;
    key: number;
    timeoutMs: number;
    webhook?: { url: string; signingSecret: string; clockOffsetMs: number };
  }): Promise<PropagationResult> {
    return this.ipc.call('changeValue', options);
  }

  /** Resolves when change `id` reached every dependent Secret, or its timeout passed. */
  awaitPropagation(id: number): Promise<PropagationResult> {
    return this.ipc.call('awaitPropagation', { id });
  }

  /** Every change so far, as it stands now. */
  propagationStatus(): Promise<PropagationResult[]> {
    return this.ipc.call('propagationStatus');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    await this.ipc.call('stop').catch(() => undefined);
    await Promise.race([
      exited,
      new Promise(resolve => setTimeout(resolve, 5000).unref()),
    ]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    this.ipc.close();
  }
}
