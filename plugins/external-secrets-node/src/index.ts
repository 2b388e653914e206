/**
 * Backend library of the External Secrets plugins: the provider contract and its
 * extension point, the value type that cannot leak, and the pure reconcile core.
 *
 * @packageDocumentation
 */

export * from './extensions';
export * from './provider/types';
export * from './provider/ProviderError';
export * from './values/SecretValue';
