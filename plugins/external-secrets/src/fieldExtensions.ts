import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  ExternalSecretMappingsPicker,
  ExternalSecretMappingsPickerSchema,
  validateExternalSecretMappings,
} from './components/ExternalSecretMappingsPicker';
import { externalSecretsPlugin } from './plugin';

/**
 * The `ExternalSecretMappingsPicker` scaffolder field for the legacy frontend
 * system: a Ready store, then `secretKey ← remote key[.property]` mappings.
 * Provided by the External Secrets plugin so the field brings its API with it.
 * Place it inside `<ScaffolderFieldExtensions>` of the `ScaffolderPage`.
 *
 * @public
 */
export const ExternalSecretMappingsPickerFieldExtension =
  externalSecretsPlugin.provide(
    createScaffolderFieldExtension({
      name: 'ExternalSecretMappingsPicker',
      component: ExternalSecretMappingsPicker,
      validation: validateExternalSecretMappings,
      schema: ExternalSecretMappingsPickerSchema.schema,
    }),
  );
