import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  type SecretValueEntry,
} from '@aws-sdk/client-secrets-manager';
import type { ProviderError } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { StoreSession } from './StoreSession';
import {
  errorTypeOfCode,
  providerError,
  toProviderError,
} from './toProviderError';

/** AWS accepts at most 20 ids in one BatchGetSecretValue. */
export const BATCH_LIMIT = 20;

/** One secret as AWS returned it (GetSecretValue or a batch entry). */
export type AwsSecretEntry = Pick<
  SecretValueEntry,
  'Name' | 'ARN' | 'SecretString' | 'SecretBinary' | 'VersionId'
>;

/** One entry of BatchGetSecretValue's Errors, with the request id of the call that answered it. */
type BatchEntryError = { code: string; message: string; requestId?: string };

type Waiter = {
  key: string;
  resolve: (entry: AwsSecretEntry) => void;
  reject: (error: ProviderError) => void;
};

/**
 * Coalesces the current-version reads of one store in one cycle into
 * BatchGetSecretValue calls of up to 20 names (DataLoader's pattern): reads
 * that arrive within `batchWindowMs` of each other share a call, and a name
 * is read once per cycle however many ExternalSecrets ask for it. ESO sends
 * one GetSecretValue per key per refresh.
 *
 * A missing secret is KEY_NOT_FOUND with positive evidence only when AWS's
 * batch error names the exact id asked for with ResourceNotFoundException.
 */
export class BatchGetQueue {
  readonly #results = new Map<string, Promise<AwsSecretEntry>>();
  #pending = new Map<string, Waiter[]>();
  #timer?: NodeJS.Timeout;

  constructor(private readonly session: StoreSession) {}

  /** The current version (AWSCURRENT) of secret `name`, asked for as `key`. */
  load(name: string, key: string): Promise<AwsSecretEntry> {
    let result = this.#results.get(name);
    if (!result) {
      result = new Promise<AwsSecretEntry>((resolve, reject) => {
        const waiters = this.#pending.get(name) ?? [];
        waiters.push({ key, resolve, reject });
        this.#pending.set(name, waiters);
      });
      this.#results.set(name, result);
      if (this.#pending.size >= BATCH_LIMIT) this.flush();
      else this.#timer ??= setTimeout(() => this.flush(), this.windowMs());
    }
    return result;
  }

  private windowMs(): number {
    return this.session.state.batchWindowMs;
  }

  private flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = new Map();
    if (batch.size === 0) return;
    if (this.session.state.batchDenied.has(this.session.identityKey)) {
      for (const [name, waiters] of batch) void this.getOne(name, waiters);
      return;
    }
    void this.getBatch(batch);
  }

  private async getBatch(batch: Map<string, Waiter[]>): Promise<void> {
    const names = [...batch.keys()];
    const found = new Map<string, AwsSecretEntry>();
    const errors = new Map<string, BatchEntryError>();
    try {
      let nextToken: string | undefined;
      do {
        const out = await this.session.client.send(
          new BatchGetSecretValueCommand({
            SecretIdList: names,
            NextToken: nextToken,
          }),
          { abortSignal: this.session.signal },
        );
        for (const entry of out.SecretValues ?? []) {
          for (const id of [entry.Name, entry.ARN])
            if (id && batch.has(id)) found.set(id, entry);
        }
        for (const e of out.Errors ?? []) {
          if (e.SecretId)
            errors.set(e.SecretId, {
              code: e.ErrorCode ?? 'Unknown',
              message: e.Message ?? '',
              // The call's id: the entry has none of its own.
              requestId: out.$metadata.requestId,
            });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    } catch (error) {
      const mapped = toProviderError(
        error,
        this.session.errorContext('reading keys', 'BatchGetSecretValue'),
      );
      if (mapped.errorType === 'PERMISSION_DENIED') {
        this.session.state.batchDenied.add(this.session.identityKey);
        this.session.logger.info(
          'AWS denied BatchGetSecretValue to this identity; reading its keys with one GetSecretValue each (grant secretsmanager:BatchGetSecretValue to batch them)',
        );
        for (const [name, waiters] of batch) void this.getOne(name, waiters);
        return;
      }
      for (const waiters of batch.values()) {
        for (const w of waiters) {
          w.reject(
            toProviderError(
              error,
              this.session.errorContext(
                `reading key "${w.key}"`,
                'BatchGetSecretValue',
                w.key,
              ),
            ),
          );
        }
      }
      return;
    }
    for (const [name, waiters] of batch) {
      const entry = found.get(name);
      const failure = errors.get(name);
      if (entry) waiters.forEach(w => w.resolve(entry));
      else if (failure)
        waiters.forEach(w => w.reject(this.batchError(w.key, failure)));
      // Neither a value nor an error for this id (an ARN AWS answered
      // under another form, say): ask for it alone rather than guess.
      else void this.getOne(name, waiters);
    }
  }

  private batchError(key: string, failure: BatchEntryError): ProviderError {
    const context = this.session.errorContext(
      `reading key "${key}"`,
      'BatchGetSecretValue',
      key,
    );
    const type = errorTypeOfCode(failure.code);
    const requestId = failure.requestId
      ? `, request id ${failure.requestId}`
      : '';
    return providerError(
      type,
      `${failure.code}${requestId}: ${failure.message}`,
      context,
      {
        ...(type === 'KEY_NOT_FOUND' ? { folderExists: true } : {}),
        ...(failure.requestId ? { requestId: failure.requestId } : {}),
      },
    );
  }

  private async getOne(name: string, waiters: Waiter[]): Promise<void> {
    try {
      const entry = await this.session.client.send(
        new GetSecretValueCommand({ SecretId: name }),
        { abortSignal: this.session.signal },
      );
      waiters.forEach(w => w.resolve(entry));
    } catch (error) {
      for (const w of waiters) {
        w.reject(
          toProviderError(
            error,
            this.session.errorContext(
              `reading key "${w.key}"`,
              'GetSecretValue',
              w.key,
            ),
            true,
          ),
        );
      }
    }
  }

  /** Rejects nothing: pending reads are flushed so no caller waits forever. */
  drain(): void {
    if (this.#pending.size) this.flush();
  }
}
