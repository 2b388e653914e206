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
  const { results } = await api
    .checkKeys(store, keys, credentials)
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
  throw new InputError(
    `Remote key(s) ${unreadable
      .map(r => `"${r.key}"`)
      .join(', ')} not found in ${label}: ${unreadable
      .map(describeUnreadable)
      .join(' ')}`,
  );
}

function describeUnreadable(result: {
  key: string;
  message?: string;
  suggestions: string[];
}): string {
  const cause =
    result.message ??
    'the store cannot read it; create it in the secrets backend or fix remoteRef.key';
  const hint = result.suggestions.length
    ? ` Did you mean ${result.suggestions.map(s => `"${s}"`).join(' or ')}?`
    : '';
  return `"${result.key}": ${cause}${cause.endsWith('.') ? '' : '.'}${hint}`;
}
