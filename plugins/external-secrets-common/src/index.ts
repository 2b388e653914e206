/**
 * Isomorphic types, manifest validation and constants shared by the External
 * Secrets plugins, and `ExternalSecretsBackendClient` for the backend's REST
 * API. That client wraps the one generated from the backend's `openapi.yaml`
 * (`src/schema/openapi/generated`, do not edit), which stays internal. No
 * other I/O.
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
export * from './api/ExternalSecretsBackendClient';
