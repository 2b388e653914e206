import { randomUUID } from 'node:crypto';

type Version = {
  id: string;
  stages: string[];
  value: string | Uint8Array;
  created: number;
};

type Secret = {
  name: string;
  arn: string;
  tags: { Key: string; Value: string }[];
  versions: Version[];
};

/** One answer of the simulator: HTTP status and JSON body. @public */
export type AwsSimulatorResponse = { status: number; body: unknown };

const ACCOUNT = '123456789012';

/**
 * An in-memory AWS Secrets Manager for the demo and fast tests, speaking the
 * JSON 1.1 wire protocol of the operations this module uses
 * (GetSecretValue, BatchGetSecretValue, ListSecrets; CreateSecret and
 * PutSecretValue to seed it). Its answers follow moto's server: the
 * AwsSecretsManagerSimulator.contract test runs the same scenario against both. Requests are not signature-checked: it is not a security boundary.
 *
 * @public
 */
export class AwsSecretsManagerSimulator {
  readonly #secrets = new Map<string, Secret>();
  readonly #calls = new Map<string, number>();
  #clock = Date.now;

  /** The region the simulated secrets' ARNs name. */
  readonly region: string;

  constructor(region = 'eu-west-1') {
    this.region = region;
  }

  /** Creates a secret or puts a new current version (the old one becomes AWSPREVIOUS). */
  setSecret(
    name: string,
    value: string | Uint8Array,
    tags: Record<string, string> = {},
  ): string {
    const id = randomUUID();
    const created = Math.floor(this.#clock() / 1000);
    const existing = this.#secrets.get(name);
    if (!existing) {
      this.#secrets.set(name, {
        name,
        arn: `arn:aws:secretsmanager:${
          this.region
        }:${ACCOUNT}:secret:${name}-${id.slice(0, 6)}`,
        tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        versions: [{ id, stages: ['AWSCURRENT'], value, created }],
      });
      return id;
    }
    for (const v of existing.versions) {
      v.stages = v.stages.filter(s => s !== 'AWSPREVIOUS');
      if (v.stages.includes('AWSCURRENT'))
        v.stages = [...v.stages.filter(s => s !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    }
    existing.versions.push({ id, stages: ['AWSCURRENT'], value, created });
    return id;
  }

  /** Removes the secret and its versions, as a ForceDeleteWithoutRecovery would. */
  deleteSecret(name: string): void {
    this.#secrets.delete(name);
  }

  /** Requests served, by operation (for tests and the bench). */
  calls(): Record<string, number> {
    return Object.fromEntries(this.#calls);
  }

  /** Serves one request: `target` is the X-Amz-Target header, e.g. `secretsmanager.ListSecrets`. */
  handle(target: string, body: Record<string, unknown>): AwsSimulatorResponse {
    const op = target.replace(/^secretsmanager\./, '');
    this.#calls.set(op, (this.#calls.get(op) ?? 0) + 1);
    switch (op) {
      case 'GetSecretValue':
        return this.getSecretValue(body);
      case 'BatchGetSecretValue':
        return this.batchGetSecretValue(body);
      case 'ListSecrets':
        return this.listSecrets(body);
      case 'CreateSecret':
        return this.createSecret(body);
      case 'PutSecretValue':
        return this.putSecretValue(body);
      default:
        return error('InvalidAction', `operation ${op} is not simulated`);
    }
  }

  private createSecret(body: Record<string, unknown>): AwsSimulatorResponse {
    const name = String(body.Name ?? '');
    if (this.#secrets.has(name))
      return error(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    const tags = Object.fromEntries(
      ((body.Tags as { Key: string; Value: string }[] | undefined) ?? []).map(
        t => [t.Key, t.Value],
      ),
    );
    const id = this.setSecret(name, wireValue(body), tags);
    const secret = this.#secrets.get(name)!;
    return {
      status: 200,
      body: { ARN: secret.arn, Name: name, VersionId: id },
    };
  }

  private putSecretValue(body: Record<string, unknown>): AwsSimulatorResponse {
    const secret = this.find(String(body.SecretId ?? ''));
    if (!secret) return notFound();
    const stages = body.VersionStages as string[] | undefined;
    if (!stages || stages.includes('AWSCURRENT')) {
      const id = this.setSecret(secret.name, wireValue(body));
      return {
        status: 200,
        body: { ARN: secret.arn, Name: secret.name, VersionId: id },
      };
    }
    // Stages other than AWSCURRENT move to the new version; current stays.
    for (const v of secret.versions)
      v.stages = v.stages.filter(s => !stages.includes(s));
    const id = randomUUID();
    secret.versions.push({
      id,
      stages,
      value: wireValue(body),
      created: Math.floor(this.#clock() / 1000),
    });
    return {
      status: 200,
      body: { ARN: secret.arn, Name: secret.name, VersionId: id },
    };
  }

  private find(id: string): Secret | undefined {
    return (
      this.#secrets.get(id) ??
      [...this.#secrets.values()].find(s => s.arn === id)
    );
  }

  private entry(secret: Secret, version: Version) {
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(typeof version.value === 'string'
        ? { SecretString: version.value }
        : { SecretBinary: Buffer.from(version.value).toString('base64') }),
      VersionStages: version.stages,
      CreatedDate: version.created,
    };
  }

  private getSecretValue(body: Record<string, unknown>): AwsSimulatorResponse {
    const secret = this.find(String(body.SecretId ?? ''));
    if (!secret) return notFound();
    const stage = (body.VersionStage as string | undefined) ?? 'AWSCURRENT';
    const version = body.VersionId
      ? secret.versions.find(v => v.id === body.VersionId)
      : secret.versions.find(v => v.stages.includes(stage));
    if (!version)
      return notFound(
        `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
      );
    return { status: 200, body: this.entry(secret, version) };
  }

  private batchGetSecretValue(
    body: Record<string, unknown>,
  ): AwsSimulatorResponse {
    const ids = (body.SecretIdList as string[] | undefined) ?? [];
    if (ids.length > 20)
      return error('ValidationException', 'SecretIdList has more than 20 ids');
    const SecretValues: unknown[] = [];
    const Errors: unknown[] = [];
    for (const id of ids) {
      const secret = this.find(id);
      const current = secret?.versions.find(v =>
        v.stages.includes('AWSCURRENT'),
      );
      if (secret && current) SecretValues.push(this.entry(secret, current));
      else
        Errors.push({
          SecretId: id,
          ErrorCode: 'ResourceNotFoundException',
          Message: "Secrets Manager can't find the specified secret.",
        });
    }
    return { status: 200, body: { SecretValues, Errors, NextToken: null } };
  }

  private listSecrets(body: Record<string, unknown>): AwsSimulatorResponse {
    const filters =
      (body.Filters as { Key: string; Values: string[] }[] | undefined) ?? [];
    const matches = (s: Secret) =>
      filters.every(f =>
        f.Values.some(value => {
          if (f.Key === 'name') return s.name.startsWith(value);
          if (f.Key === 'tag-key')
            return s.tags.some(t => t.Key.startsWith(value));
          if (f.Key === 'tag-value')
            return s.tags.some(t => t.Value.startsWith(value));
          return false;
        }),
      );
    const all = [...this.#secrets.values()].filter(matches);
    const max = Math.min(Number(body.MaxResults ?? 100), 100);
    const start = Number(body.NextToken ?? 0);
    const page = all.slice(start, start + max);
    const next = start + max < all.length ? String(start + max) : null;
    return {
      status: 200,
      body: {
        SecretList: page.map(s => ({
          ARN: s.arn,
          Name: s.name,
          Tags: s.tags,
          SecretVersionsToStages: Object.fromEntries(
            s.versions.map(v => [v.id, v.stages]),
          ),
        })),
        NextToken: next,
      },
    };
  }
}

/** SecretString, or SecretBinary (base64 on the wire). */
function wireValue(body: Record<string, unknown>): string | Uint8Array {
  return typeof body.SecretBinary === 'string'
    ? new Uint8Array(Buffer.from(body.SecretBinary, 'base64'))
    : String(body.SecretString ?? '');
}

function error(type: string, message: string): AwsSimulatorResponse {
  return { status: 400, body: { __type: type, message } };
}

function notFound(
  message = "Secrets Manager can't find the specified secret.",
) {
  return error('ResourceNotFoundException', message);
}
