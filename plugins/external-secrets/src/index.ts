/**
 * Frontend of External Secrets for Backstage: an entity card, an entity tab
 * and an admin page showing ExternalSecret sync status (never secret values),
 * and the `ExternalSecretMappingsPicker` scaffolder field.
 *
 * This entry point serves the legacy frontend system; the new frontend system
 * uses the default export of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  externalSecretsPlugin,
  EntityExternalSecretsCard,
  EntityExternalSecretsContent,
  ExternalSecretsPage,
} from './plugin';
export { ExternalSecretMappingsPickerFieldExtension } from './fieldExtensions';
export { validateExternalSecretMappings } from './components/ExternalSecretMappingsPicker';
export type {
  ExternalSecretMapping,
  ExternalSecretMappingsDraft,
  ExternalSecretMappingsPickerValue,
  ExternalSecretMappingsStore,
} from './components/ExternalSecretMappingsPicker';
export { externalSecretsApiRef, ExternalSecretsClient } from './api';
export type { ExternalSecretsApi, StoreLocator } from './api';
export { isExternalSecretsAvailable } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
