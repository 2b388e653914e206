export { ExternalSecretMappingsPicker } from './ExternalSecretMappingsPicker';
export { validateExternalSecretMappings } from './validateExternalSecretMappings';
export { ExternalSecretMappingsPickerSchema } from './schema';
export type { ExternalSecretMappingsDraft } from './validateMappings';
export type {
  ExternalSecretMapping,
  ExternalSecretMappingsPickerValue,
  ExternalSecretMappingsStore,
} from './types';
