import {
  CreateSecretCommand,
  DeleteSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../../../scripts/moto.sh');

/**
 * moto's server (an AWS emulator) on loopback for this test file alone,
 * started by scripts/moto.sh, which installs moto when missing. The AWS
 * module's own suites start theirs the same way.
 */
export type MotoSecretsManager = {
  endpoint: string;
  putSecret(name: string, value: string): Promise<void>;
  deleteSecret(name: string): Promise<void>;
  /** Forgets every secret (moto's reset API), between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
};

export async function startMotoSecretsManager(
  region: string,
): Promise<MotoSecretsManager> {
  const { stdout } = await run('bash', [SCRIPT, 'start'], {
    timeout: 600_000,
  });
  const vars = Object.fromEntries(
    [...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map(m => [m[1], m[2]]),
  );
  const endpoint = vars.MOTO_ENDPOINT;
  if (!endpoint) throw new Error(`moto.sh printed no endpoint: ${stdout}`);
  // moto accepts any keys while IAM enforcement is off.
  const client = new SecretsManagerClient({
    region,
    endpoint,
    credentials: {
      accessKeyId: 'AKIASEEDSEEDSEEDSEED',
      secretAccessKey: 'seed-secret-access-key',
    },
  });
  return {
    endpoint,
    putSecret: async (name, value) => {
      await client.send(
        new CreateSecretCommand({ Name: name, SecretString: value }),
      );
    },
    deleteSecret: async name => {
      await client.send(
        new DeleteSecretCommand({
          SecretId: name,
          ForceDeleteWithoutRecovery: true,
        }),
      );
    },
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset answered HTTP ${res.status}`);
    },
    stop: async () => {
      client.destroy();
      await run('bash', [SCRIPT, 'stop'], {
        env: { ...process.env, MOTO_STATE_DIR: vars.MOTO_STATE_DIR },
      });
    },
  };
}
