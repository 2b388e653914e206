import { ExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/**
 * The remote keys an ExternalSecret reads by name (`data[].remoteRef.key` and
 * `dataFrom[].extract.key`) that are not among `available`. A leading `/` is
 * also tried without it, since key-name listings are relative to the store's
 * scope. `find` entries name no key and are not checked.
 *
 * @public
 */
export function findMissingKeys(
  externalSecret: ExternalSecret,
  available: readonly string[],
): string[] {
  const names = new Set(available);
  const wanted = [
    ...externalSecret.spec.data.map(d => d.remoteRef.key),
    ...externalSecret.spec.dataFrom.flatMap(d =>
      d.extract ? [d.extract.key] : [],
    ),
  ];
  const missing = wanted.filter(
    key => !names.has(key) && !names.has(key.replace(/^\/+/, '')),
  );
  return [...new Set(missing)];
}
