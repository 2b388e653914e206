/**
 * Isomorphic types, manifest validation and constants shared by the External
 * Secrets plugins, and the REST client generated from the backend's
 * `openapi.yaml` (`src/schema/openapi/generated`, do not edit). No other I/O.
 *
 * @packageDocumentation
 */

export * from './types/eso';
export * from './types/validation';
export * from './validation';
export * from './duration';
export * from './annotations';
export * from './permissions';
export * from './signals';
export * from './api/types';
export { DefaultApiClient } from './schema/openapi';
export type { TypedResponse } from './schema/openapi';
