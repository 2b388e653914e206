import { open, realpath } from 'node:fs/promises';
import { SERVICE_ACCOUNT_TOKEN_DIRS_KEY } from './serviceAccountTokenPolicy';

/** A projected token is a few KiB; anything larger is not a token. */
const MAX_TOKEN_BYTES = 64 * 1024;

/**
 * Default `readServiceAccountToken`: reads the projected service-account token
 * of the Backstage backend's pod. Read on every login because Kubernetes
 * rotates projected tokens. The path was already checked against `dirs` as
 * text (tokenPathRefusal); here symbolic links are resolved too, so a link
 * inside an allowed directory cannot point outside every allowed directory
 * (kubelet's own `..data` links stay inside), and only a small regular file is read.
 */
export async function readServiceAccountTokenFile(
  path: string,
  dirs: readonly string[],
): Promise<string> {
  const real = await realpath(path);
  const realDirs = await Promise.all(
    dirs.map(dir => realpath(dir).catch(() => undefined)),
  );
  if (!realDirs.some(dir => dir !== undefined && real.startsWith(`${dir}/`))) {
    throw new Error(
      `it resolves (through a symbolic link) outside the allowed directories (${SERVICE_ACCOUNT_TOKEN_DIRS_KEY})`,
    );
  }
  const file = await open(real, 'r');
  try {
    const stats = await file.stat();
    if (!stats.isFile() || stats.size > MAX_TOKEN_BYTES) {
      throw new Error(
        `it is not a regular file of at most ${MAX_TOKEN_BYTES} bytes`,
      );
    }
    const buffer = Buffer.alloc(stats.size);
    const { bytesRead } = await file.read(buffer, 0, stats.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}
