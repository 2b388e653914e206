import { readFile } from 'node:fs/promises';

/**
 * Default `readServiceAccountToken`: reads the projected service-account token
 * of the Backstage backend's pod. Read on every login because Kubernetes
 * rotates projected tokens.
 */
export async function readServiceAccountTokenFile(
  path: string,
): Promise<string> {
  return readFile(path, 'utf8');
}
