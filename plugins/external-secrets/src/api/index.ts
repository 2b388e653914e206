export { externalSecretsApiRef } from './ExternalSecretsApi';
export type { ExternalSecretsApi, StoreLocator } from './ExternalSecretsApi';
export { ExternalSecretsClient } from './ExternalSecretsClient';
