import type { SecretValue } from '../values/SecretValue';
import { formatGoByteMap, sha3Hex224 } from './goObjectHash';

/**
 * The value of the `reconcile.external-secrets.io/data-hash` annotation for a
 * Secret holding `data`: ESO's `esutils.ObjectHash(secret.Data)`, i.e. the hex
 * SHA3-224 of Go's `fmt.Sprintf("%+v", map[string][]byte)`. ESO hashes the
 * Secret's final data (after templating and merging), so pass exactly the data
 * that is written.
 *
 * @public
 */
export function computeDataHash(data: Record<string, SecretValue>): string {
  const entries = Object.entries(data).map(
    ([key, value]): [string, Uint8Array] => [key, value.bytes()],
  );
  return sha3Hex224(formatGoByteMap(entries));
}

/**
 * The value of the `reconcile.external-secrets.io/created-by` label that ESO
 * sets on Secrets of creationPolicy `Owner`: hex SHA3-224 of
 * `<namespace>/<name>` of the ExternalSecret (56 characters, so ESO never
 * truncates it to fit the 63-character label limit).
 *
 * @public
 */
export function computeCreatedByLabel(namespace: string, name: string): string {
  return sha3Hex224(`${namespace}/${name}`);
}
