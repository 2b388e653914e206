import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The `ExternalSecretMappingsPicker` scaffolder field, attached to the
 * scaffolder's form fields API: templates use it with
 * `ui:field: ExternalSecretMappingsPicker`.
 *
 * @alpha
 */
export const externalSecretMappingsPickerFormField = FormFieldBlueprint.make({
  name: 'external-secret-mappings-picker',
  params: {
    field: () =>
      import('./externalSecretMappingsPickerField').then(
        m => m.externalSecretMappingsPickerField,
      ),
  },
});
