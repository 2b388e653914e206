import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ExternalSecretMappingsPicker,
  ExternalSecretMappingsPickerSchema,
  validateExternalSecretMappings,
} from '../components/ExternalSecretMappingsPicker';

/** The field itself, loaded when the scaffolder asks for its form fields. */
export const externalSecretMappingsPickerField = createFormField({
  name: 'ExternalSecretMappingsPicker',
  component: ExternalSecretMappingsPicker,
  validation: validateExternalSecretMappings,
  schema: ExternalSecretMappingsPickerSchema,
});
