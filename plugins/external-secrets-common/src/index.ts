/**
 * Isomorphic types, manifest validation and constants shared by the External
 * Secrets plugins. No I/O.
 *
 * @packageDocumentation
 */

export * from './types/eso';
export * from './types/validation';
export * from './validation';
export * from './duration';
export * from './annotations';
export * from './permissions';
export * from './api/types';
