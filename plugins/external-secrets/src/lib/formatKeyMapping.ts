import type {
  KeyMappingDto,
  StoreRefDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** The key in the target Secret, or the manifest entry when no key is known yet. */
export function describeSecretKey(key: KeyMappingDto): string {
  return key.secretKey ?? key.source;
}

/**
 * `store:remoteRef.key[.property]`. The mapping's own store wins over the
 * ExternalSecret's (`sourceRef.storeRef`); template keys have neither.
 */
export function describeRemoteRef(
  key: KeyMappingDto,
  defaultStore?: StoreRefDto,
): string {
  const store = key.store ?? defaultStore;
  const ref = key.remoteKey
    ? `${key.remoteKey}${key.property ? `.${key.property}` : ''}`
    : key.source;
  return store ? `${store.name}:${ref}` : ref;
}

/** `secretKey ← store:remoteRef.key[.property]`, as the card lists mappings. */
export function formatKeyMapping(
  key: KeyMappingDto,
  defaultStore?: StoreRefDto,
): string {
  return `${describeSecretKey(key)} ← ${describeRemoteRef(key, defaultStore)}`;
}
