import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ExternalSecret,
  StoreStatusDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ExternalSecretsApi } from './ExternalSecretsApi';

type Store = Pick<StoreStatusDto, 'cluster' | 'kind' | 'namespace' | 'name'>;

/**
 * The remote keys an ExternalSecret reads by name from its own store
 * (`data[].remoteRef.key`, `dataFrom[].extract.key`), once each. Entries with
 * a `sourceRef` read from another store or a generator and are left out.
 */
export function remoteKeysOf(externalSecret: ExternalSecret): string[] {
  const { data, dataFrom } = externalSecret.spec;
  return [
    ...new Set([
      ...data.filter(d => !d.sourceRef).map(d => d.remoteRef.key),
      ...dataFrom.flatMap(d =>
        d.extract && !d.sourceRef ? [d.extract.key] : [],
      ),
    ]),
  ];
}

/**
 * The `data[].remoteRef.property` paths an ExternalSecret reads from its own
 * store, with the `remoteRef.version` each reads, once each: the sync fails a
 * key whose value (at that version) is not JSON or lacks the property, so the
 * check resolves them too.
 */
export function remotePropertiesOf(
  externalSecret: ExternalSecret,
): { key: string; property: string; version?: string }[] {
  const seen = new Set<string>();
  return externalSecret.spec.data.flatMap(d => {
    const { key, property, version } = d.remoteRef;
    const id = JSON.stringify([key, property, version]);
    if (d.sourceRef || !property || seen.has(id)) return [];
    seen.add(id);
    return [{ key, property, ...(version ? { version } : {}) }];
  });
}

/**
 * `validateRemoteKeys`: asks the backend whether the reconciler can read each
 * key through the store. The backend reads each key with the provider's own
 * resolution (for Infisical: `secretsPath`, `/folder/KEY`, `sub/KEY`), so the
 * check and the sync cannot disagree, as a string comparison against a key
 * listing could. A key it cannot read fails the step with the provider's cause
 * and "did you mean" names. Names only: no value is read back.
 */
export async function checkRemoteKeys(options: {
  api: ExternalSecretsApi;
  store: Store;
  externalSecret: ExternalSecret;
  credentials: BackstageCredentials;
  logger: LoggerService;
}): Promise<void> {
  const { api, store, externalSecret, credentials, logger } = options;
  const label = `${store.kind} ${store.name}`;
  const keys = remoteKeysOf(externalSecret);
  if (keys.length === 0) return;
  const properties = remotePropertiesOf(externalSecret);
  const { results } = await api
    .checkKeys(
      store,
      { keys, ...(properties.length ? { properties } : {}) },
      credentials,
    )
    .catch(error => {
      throw new InputError(
        `Cannot check the keys of ${label}: ${error.message}`,
      );
    });
  const unreadable = results.filter(result => !result.readable);
  if (unreadable.length === 0) {
    logger.info(`All remote keys exist in ${label}`);
    return;
  }
  const missing = unreadable.filter(r => !r.property);
  const badProperties = unreadable.filter(
    r => r.property && !missing.some(m => m.key === r.key),
  );
  const problems = [
    ...(missing.length
      ? [
          `Remote key(s) ${missing
            .map(r => `"${r.key}"`)
            .join(', ')} not found in ${label}: ${missing
            .map(describeUnreadable)
            .join(' ')}`,
        ]
      : []),
    ...(badProperties.length
      ? [
          `Remote key properties that cannot be read through ${label}: ${badProperties
            .map(describeUnreadable)
            .join(
              ' ',
            )} Point remoteRef.property at a field of the key's JSON value, or drop it to take the whole value.`,
        ]
      : []),
  ];
  throw new InputError(problems.join(' '));
}

function describeUnreadable(result: {
  key: string;
  property?: string;
  version?: string;
  message?: string;
  suggestions: string[];
}): string {
  const cause =
    result.message ??
    'the store cannot read it; create it in the secrets backend or fix remoteRef.key';
  const hint = result.suggestions.length
    ? ` Did you mean ${result.suggestions.map(s => `"${s}"`).join(' or ')}?`
    : '';
  const at = result.version ? ` version "${result.version}"` : '';
  const what = result.property
    ? `"${result.key}"${at} property "${result.property}"`
    : `"${result.key}"`;
  return `${what}: ${cause}${cause.endsWith('.') ? '' : '.'}${hint}`;
}
