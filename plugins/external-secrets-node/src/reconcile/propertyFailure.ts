import type { SecretValue } from '../values/SecretValue';
import { selectProperty } from './entryOutcomes';
import type { KeyStatusReason } from './types';

/**
 * Why a sync could not read `remoteRef.property` from a remote key's value:
 * the same reason (`NotJson`, `PropertyNotFound`) and value-free message a
 * sync reports for that key, or undefined when the property resolves. For a
 * check that must agree with the reconciler (POST .../keys/check).
 *
 * @public
 */
export function propertyFailure(
  value: SecretValue,
  property: string,
  remoteKey: string,
): { reason: KeyStatusReason; message: string } | undefined {
  const selected = selectProperty(value, property, remoteKey);
  return 'node' in selected ? undefined : selected;
}
