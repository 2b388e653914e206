import { ExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/**
 * Providers whose remote keys are paths relative to the store's scope, so a
 * leading `/` names the same key as the listing's relative name (Infisical's
 * `/folder/KEY`). Elsewhere a key is a literal name: AWS Secrets Manager reads
 * `/checkout/db` and `checkout/db` as two different secrets.
 */
const PATH_KEYED_PROVIDERS: ReadonlySet<string> = new Set(['infisical']);

/**
 * The remote keys an ExternalSecret reads by name (`data[].remoteRef.key` and
 * `dataFrom[].extract.key`) that are not among `available`. For path-keyed
 * providers (Infisical), and when the provider is not known, a leading `/` is
 * also tried without it, since their key-name listings are relative to the
 * store's scope. `find` entries name no key and are not checked.
 *
 * @public
 * @deprecated A string comparison against a key listing can disagree with the
 * reconciler's key resolution; the action now uses `ExternalSecretsApi.checkKeys`,
 * which asks the backend to resolve each key as a sync does.
 */
export function findMissingKeys(
  externalSecret: ExternalSecret,
  available: readonly string[],
  options: { provider?: string } = {},
): string[] {
  const folds =
    options.provider === undefined ||
    PATH_KEYED_PROVIDERS.has(options.provider);
  const names = new Set(available);
  const wanted = [
    ...externalSecret.spec.data.map(d => d.remoteRef.key),
    ...externalSecret.spec.dataFrom.flatMap(d =>
      d.extract ? [d.extract.key] : [],
    ),
  ];
  const missing = wanted.filter(
    key => !names.has(key) && !(folds && names.has(key.replace(/^\/+/, ''))),
  );
  return [...new Set(missing)];
}
