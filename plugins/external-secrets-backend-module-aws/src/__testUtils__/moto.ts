import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../../../scripts/moto.sh');

/** Moto's server on loopback, started by scripts/moto.sh (which installs it when missing). */
export type Moto = {
  endpoint: string;
  stop(): Promise<void>;
};

/**
 * Starts a moto server of this test file's own (its own port and process
 * group, so files running in parallel never share state). `env` passes moto
 * settings, e.g. `INITIAL_NO_AUTH_ACTION_COUNT` to enforce IAM.
 */
export async function startMoto(
  env: Record<string, string> = {},
): Promise<Moto> {
  const { stdout } = await run('bash', [SCRIPT, 'start'], {
    env: { ...process.env, ...env },
    timeout: 600_000,
  });
  const vars = Object.fromEntries(
    [...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map(m => [m[1], m[2]]),
  );
  if (!vars.MOTO_ENDPOINT)
    throw new Error(`moto.sh printed no endpoint: ${stdout}`);
  return {
    endpoint: vars.MOTO_ENDPOINT,
    stop: async () => {
      await run('bash', [SCRIPT, 'stop'], {
        env: { ...process.env, MOTO_STATE_DIR: vars.MOTO_STATE_DIR },
      });
    },
  };
}

/** Moto accepts any keys while IAM enforcement is off. */
export const TEST_KEYS = {
  accessKeyId: 'AKIATESTTESTTESTTEST',
  secretAccessKey: 'test-secret-access-key',
};

export const REGION = 'eu-west-1';

/** A Secrets Manager client for seeding moto. */
export function seedClient(
  endpoint: string,
  credentials = TEST_KEYS,
): SecretsManagerClient {
  return new SecretsManagerClient({ region: REGION, endpoint, credentials });
}

/** Creates a secret (string or binary) with optional tags; returns its first VersionId. */
export async function createSecret(
  client: SecretsManagerClient,
  name: string,
  value: string | Uint8Array,
  tags: Record<string, string> = {},
): Promise<string> {
  const out = await client.send(
    new CreateSecretCommand({
      Name: name,
      ...(typeof value === 'string'
        ? { SecretString: value }
        : { SecretBinary: value }),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return out.VersionId!;
}

/** Puts a new current value (the old one becomes AWSPREVIOUS); returns its VersionId. */
export async function putValue(
  client: SecretsManagerClient,
  name: string,
  value: string,
  stages?: string[],
): Promise<string> {
  const out = await client.send(
    new PutSecretValueCommand({
      SecretId: name,
      SecretString: value,
      ...(stages ? { VersionStages: stages } : {}),
    }),
  );
  return out.VersionId!;
}
