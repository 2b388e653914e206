/**
 * Isomorphic types, manifest validation and constants shared by the External
 * Secrets plugins. No I/O.
 *
 * @packageDocumentation
 */

export * from './types/eso';
export * from './types/validation';
