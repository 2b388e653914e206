import {
  GetSecretValueCommand,
  ListSecretsCommand,
  type Filter,
  type SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import {
  compileGoRegExp,
  type ExternalSecretFind,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  SecretValue,
  type KeyNameListing,
  type RemoteSecret,
  type SecretsClient,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { BatchGetQueue, type AwsSecretEntry } from './BatchGetQueue';
import type { StoreSession } from './StoreSession';
import { providerError, toProviderError } from './toProviderError';

/** ESO's version syntax: `uuid/<VersionId>`, otherwise a version stage. */
function versionSelector(version: string) {
  return version.startsWith('uuid/')
    ? { VersionId: version.slice('uuid/'.length) }
    : { VersionStage: version };
}

/**
 * Reads of one store for one reconcile cycle. Current values go through the
 * BatchGetQueue (BatchGetSecretValue, 20 names a call, each name once per
 * cycle); a pinned `version` is one GetSecretValue; `find` lists names with
 * ListSecrets filters and reads the matches through the same queue.
 */
export class AwsSecretsClient implements SecretsClient {
  readonly #queue: BatchGetQueue;
  readonly #versioned = new Map<string, Promise<AwsSecretEntry>>();

  constructor(private readonly session: StoreSession) {
    this.#queue = new BatchGetQueue(session);
  }

  async getSecret(ref: {
    key: string;
    version?: string;
  }): Promise<RemoteSecret> {
    const name = this.session.secretName(ref.key);
    const entry =
      ref.version && ref.version !== 'AWSCURRENT'
        ? await this.getVersion(name, ref.key, ref.version)
        : await this.#queue.load(name, ref.key);
    return this.toRemoteSecret(entry, ref.key);
  }

  async findSecrets(
    find: ExternalSecretFind,
  ): Promise<Map<string, RemoteSecret>> {
    const action = 'finding secrets (dataFrom.find)';
    const context = this.session.errorContext(action, 'ListSecrets');
    const tags = Object.entries(find.tags ?? {});
    if (!find.name && tags.length === 0) {
      // ESO: errUnexpectedFindOperator.
      throw providerError(
        'INVALID_REQUEST',
        'find needs name.regexp or tags (AWS would list every secret of the account)',
        context,
      );
    }
    let matcher: ((name: string) => boolean) | undefined;
    if (find.name) {
      const compiled = compileGoRegExp(find.name.regexp);
      if (!compiled.ok) {
        throw providerError(
          'INVALID_REQUEST',
          `find.name.regexp "${find.name.regexp}" is not a valid Go regular expression: ${compiled.reason}`,
          context,
        );
      }
      matcher = name => compiled.regExp.test(name);
    }
    const filters: Filter[] = tags.flatMap(([key, value]) => [
      { Key: 'tag-key', Values: [key] },
      { Key: 'tag-value', Values: [value] },
    ]);
    if (find.path) filters.push({ Key: 'name', Values: [find.path] });
    const listed = await this.list(filters, action);
    // AWS matches tag-key and tag-value filters independently (key A with
    // any tag's value B); ESO takes that as is. Keep only secrets that carry
    // each key=value pair.
    const names = listed
      .filter(s =>
        tags.every(([k, v]) => s.Tags?.some(t => t.Key === k && t.Value === v)),
      )
      .map(s => s.Name!)
      .filter(name => !find.path || name.startsWith(find.path))
      .filter(name => !matcher || matcher(name));
    const result = new Map<string, RemoteSecret>();
    await Promise.all(
      names.map(async name => {
        const entry = await this.#queue.load(name, name);
        result.set(name, this.toRemoteSecret(entry, name));
      }),
    );
    return result;
  }

  /**
   * Names only (ListSecrets never returns values): the keys under the store's
   * `prefix`, prefix removed, as `remoteRef.key` takes them. Every page is
   * read, so the list is complete: the reconciler reads `prefix + key` and
   * nothing outside the prefix. (The `name` filter matches prefixes without
   * regard to case; the exact-case check below drops what getSecret would not
   * read.)
   */
  async listKeyNames(): Promise<KeyNameListing> {
    const { prefix } = this.session.spec;
    const filters: Filter[] = prefix ? [{ Key: 'name', Values: [prefix] }] : [];
    const listed = await this.list(filters, 'listing key names');
    const keys = listed
      .map(s => s.Name!)
      .filter(name => name.startsWith(prefix))
      .map(name => name.slice(prefix.length))
      .sort();
    return { keys, complete: true };
  }

  async close(): Promise<void> {
    this.#queue.drain();
    this.session.close();
  }

  private async list(
    filters: Filter[],
    action: string,
  ): Promise<SecretListEntry[]> {
    const secrets: SecretListEntry[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const out = await this.session.client.send(
          new ListSecretsCommand({
            Filters: filters.length ? filters : undefined,
            MaxResults: 100,
            NextToken: nextToken,
          }),
          { abortSignal: this.session.signal },
        );
        secrets.push(...(out.SecretList ?? []).filter(s => s.Name));
        nextToken = out.NextToken;
      } while (nextToken);
    } catch (error) {
      throw toProviderError(
        error,
        this.session.errorContext(action, 'ListSecrets'),
      );
    }
    return secrets;
  }

  private getVersion(
    name: string,
    key: string,
    version: string,
  ): Promise<AwsSecretEntry> {
    const id = `${name}\u0000${version}`;
    let result = this.#versioned.get(id);
    if (!result) {
      result = this.session.client
        .send(
          new GetSecretValueCommand({
            SecretId: name,
            ...versionSelector(version),
          }),
          { abortSignal: this.session.signal },
        )
        .catch(error => {
          // AWS answers ResourceNotFoundException for a missing VERSION too:
          // not evidence that the secret is gone (provesAbsence false).
          throw toProviderError(
            error,
            this.session.errorContext(
              `reading key "${key}" version "${version}"`,
              'GetSecretValue',
              key,
            ),
            false,
          );
        });
      this.#versioned.set(id, result);
    }
    return result;
  }

  private toRemoteSecret(entry: AwsSecretEntry, key: string): RemoteSecret {
    let value: SecretValue;
    if (entry.SecretString !== undefined) {
      value = SecretValue.fromString(entry.SecretString);
    } else if (entry.SecretBinary !== undefined) {
      value = SecretValue.fromBytes(entry.SecretBinary);
    } else {
      throw providerError(
        'UNKNOWN',
        'AWS returned neither SecretString nor SecretBinary',
        this.session.errorContext(
          `reading key "${key}"`,
          'GetSecretValue',
          key,
        ),
      );
    }
    return {
      value,
      ...(entry.VersionId ? { version: entry.VersionId } : {}),
      ...(entry.Name ? { path: entry.Name } : {}),
    };
  }
}
