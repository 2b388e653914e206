import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `BENCH_PROFILE=<label>` (a cycle label such as `refresh`, or `api-sqlite` /
 * `api-postgres` for the status API load) writes a CPU profile of that step to
 * `BENCH_PROFILE_DIR` (default: the OS temp folder), for Chrome DevTools.
 * Profiling slows the step: never together with figures meant for the README.
 * Returns the function that stops it, or undefined when not asked for.
 */
export async function startProfiler(
  label: string,
): Promise<(() => Promise<void>) | undefined> {
  if (process.env.BENCH_PROFILE !== label) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    const dir = process.env.BENCH_PROFILE_DIR ?? tmpdir();
    const file = join(dir, `bench-${label}-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`CPU profile of ${label}: ${file}\n`);
  };
}
