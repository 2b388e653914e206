import type {
  ExternalSecretFind,
  FakeProviderSpec,
  SecretStore,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { closestNames } from '../../provider/closestNames';
import { ProviderError } from '../../provider/ProviderError';
import type {
  KeyNameListing,
  RemoteSecret,
  SecretsClient,
  SecretsProvider,
} from '../../provider/types';
import {
  compileGoRegexp,
  goRegexpMatches,
  GoRegexpError,
  type GoRegExp,
} from '../../reconcile/goRegexp';
import { SecretValue } from '../../values/SecretValue';

const PROVIDER = 'fake';

type Entry = { key: string; value: string; version: string };

/** `Kind/namespace/name`, or `ClusterSecretStore/name`: how errors name the store. */
function storeLabel(store: SecretStore): string {
  const { name, namespace } = store.metadata;
  return store.kind === 'ClusterSecretStore' || !namespace
    ? `${store.kind}/${name}`
    : `${store.kind}/${namespace}/${name}`;
}

/** `valueMap` (older ESO) is served as the JSON object it stands for, keys sorted as Go's json.Marshal does. */
function entryValue(data: FakeProviderSpec['data'][number]): string {
  if (data.value !== undefined || !data.valueMap) return data.value ?? '';
  const keys = Object.keys(data.valueMap).sort();
  return JSON.stringify(
    Object.fromEntries(keys.map(k => [k, data.valueMap![k]])),
  );
}

/** Like ESO, a later entry with the same key and version replaces an earlier one. */
function entriesOf(store: SecretStore): Entry[] {
  const byId = new Map<string, Entry>();
  for (const d of store.spec.provider.fake?.data ?? []) {
    const entry = {
      key: d.key,
      value: entryValue(d),
      version: d.version ?? '',
    };
    byId.set(`${entry.key}\u0000${entry.version}`, entry);
  }
  return [...byId.values()];
}

/** ESO keeps, per key, the entry with the highest version (compared as strings). */
function latestByKey(entries: Entry[]): Map<string, Entry> {
  const latest = new Map<string, Entry>();
  for (const entry of entries) {
    const seen = latest.get(entry.key);
    if (!seen || seen.version < entry.version) latest.set(entry.key, entry);
  }
  return latest;
}

function toRemote(entry: Entry): RemoteSecret {
  return {
    value: SecretValue.fromString(entry.value),
    ...(entry.version ? { version: entry.version } : {}),
  };
}

class FakeClient implements SecretsClient {
  constructor(
    private readonly entries: Entry[],
    private readonly store: string,
  ) {}

  async getSecret(ref: {
    key: string;
    version?: string;
  }): Promise<RemoteSecret> {
    // ESO's fake looks up key+version exactly: an unversioned get only sees unversioned entries.
    const version = ref.version ?? '';
    const entry = this.entries.find(
      e => e.key === ref.key && e.version === version,
    );
    if (entry) return toRemote(entry);
    const what = version
      ? `key "${ref.key}" version "${version}"`
      : `key "${ref.key}"`;
    // The store's data is authoritative: a missing key is positively gone.
    throw new ProviderError(
      'KEY_NOT_FOUND',
      `${what} does not exist in fake store ${this.store}`,
      {
        provider: PROVIDER,
        store: this.store,
        key: ref.key,
        call: 'get',
        folderExists: true,
        similarKeys: closestNames(
          ref.key,
          this.entries.map(e => e.key),
        ),
        hint: `add it to spec.provider.fake.data of ${this.store}`,
      },
    );
  }

  async findSecrets(
    find: ExternalSecretFind,
  ): Promise<Map<string, RemoteSecret>> {
    if (find.tags && Object.keys(find.tags).length > 0) {
      throw new ProviderError(
        'UNSUPPORTED',
        `find.tags is not supported by the fake provider (store ${this.store})`,
        {
          provider: PROVIDER,
          store: this.store,
          call: 'find',
        },
      );
    }
    let matcher: GoRegExp | undefined;
    try {
      matcher =
        find.name?.regexp !== undefined
          ? compileGoRegexp(find.name.regexp)
          : undefined;
    } catch (e) {
      if (!(e instanceof GoRegexpError)) throw e;
      throw new ProviderError(
        'INVALID_REQUEST',
        `find.name.regexp: ${e.message}`,
        { provider: PROVIDER, store: this.store, call: 'find' },
      );
    }
    const found = new Map<string, RemoteSecret>();
    for (const [key, entry] of latestByKey(this.entries)) {
      if (matcher && !goRegexpMatches(matcher, key)) continue;
      if (find.path !== undefined && !key.startsWith(find.path)) continue;
      found.set(key, toRemote(entry));
    }
    return found;
  }

  async readScope(): Promise<Map<string, RemoteSecret>> {
    return new Map(
      [...latestByKey(this.entries)].map(([key, entry]) => [
        key,
        toRemote(entry),
      ]),
    );
  }

  /** Every key of `spec.provider.fake.data`, once, whatever its versions. */
  async listKeyNames(): Promise<KeyNameListing> {
    return {
      keys: [...latestByKey(this.entries).keys()].sort(),
      complete: true,
    };
  }

  async close(): Promise<void> {}
}

function validateSpec(store: SecretStore): ValidationIssue[] {
  const fake = store.spec.provider.fake;
  if (!fake)
    return [
      {
        severity: 'error',
        path: 'spec.provider.fake',
        message: 'spec.provider.fake: missing',
      },
    ];
  if (!Array.isArray(fake.data))
    return [
      {
        severity: 'error',
        path: 'spec.provider.fake.data',
        message: 'spec.provider.fake.data: must be a list',
      },
    ];
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  fake.data.forEach((entry, i) => {
    const path = `spec.provider.fake.data[${i}]`;
    if (!entry.key)
      issues.push({
        severity: 'error',
        path: `${path}.key`,
        message: `${path}.key: must be set`,
      });
    if (!entry.value && !entry.valueMap) {
      issues.push({
        severity: 'error',
        path: `${path}.value`,
        message: `${path}.value: at least one of value or valueMap must be set`,
      });
    }
    const id = `${entry.key}\u0000${entry.version ?? ''}`;
    if (entry.key && seen.has(id)) {
      issues.push({
        severity: 'warning',
        path: `${path}.key`,
        message: `${path}.key "${entry.key}": repeats an earlier entry with the same version; the last one is used`,
      });
    }
    seen.add(id);
  });
  return issues;
}

/**
 * ESO's `fake` provider: a static, authoritative in-memory store read from
 * `spec.provider.fake.data[{key, value, valueMap?, version?}]`, for demos and
 * tests. A missing key is positive evidence that it is gone; `find` supports
 * `name.regexp` and `path` (a key prefix), not `tags`.
 *
 * @public
 */
export function createFakeProvider(): SecretsProvider {
  return {
    name: PROVIDER,
    capabilities: {
      readScope: true,
      versions: true,
      find: { path: true, nameRegexp: true, tags: false },
    },
    validateStoreSpec: validateSpec,
    // In memory: no host is ever contacted.
    endpoints: () => [],
    async validateStore(store) {
      const problem = validateSpec(store).find(i => i.severity === 'error');
      if (problem)
        return {
          ready: false,
          reason: 'InvalidProviderConfig',
          message: problem.message,
        };
      return { ready: true, reason: 'Valid', message: 'store validated' };
    },
    async newClient(store) {
      const problem = validateSpec(store).find(i => i.severity === 'error');
      if (problem) {
        throw new ProviderError('INVALID_CONFIG', problem.message, {
          provider: PROVIDER,
          store: storeLabel(store),
        });
      }
      return new FakeClient(entriesOf(store), storeLabel(store));
    },
  };
}
