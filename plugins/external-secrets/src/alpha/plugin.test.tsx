import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  annotatedEntity,
  manifestOnlyEntity,
  plainEntity,
} from '../__fixtures__/entities';
import { externalSecretsApiRef } from '../api/ExternalSecretsApi';
import plugin from '../alpha';
import { externalSecretsApi } from './apis';
import { externalSecretsEntityCard } from './entityCards';
import { externalSecretsEntityContent } from './entityContents';
import { externalSecretsPage } from './pages';
import { externalSecretMappingsPickerFormField } from './formFields';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ExternalSecretMappingsPicker,
  validateExternalSecretMappings,
} from '../components/ExternalSecretMappingsPicker';

/** The plugin's extension `id` is `extension`, as the plugin namespaces it. */
function expectInstalled(id: string, extension: unknown) {
  const { kind, name, attachTo, disabled, factory } = extension as Record<
    string,
    unknown
  >;
  expect(plugin.getExtension(id as never)).toMatchObject({
    kind,
    name,
    attachTo,
    disabled,
    factory,
    namespace: 'external-secrets',
  });
}

describe('external-secrets frontend plugin (new system)', () => {
  it('should be the external-secrets plugin with its api, card, content and page', () => {
    expect(plugin.pluginId).toBe('external-secrets');
    expect(plugin.title).toBe('External Secrets');
    // getExtension throws on an unknown id; what matters is that the plugin
    // installs these very extensions (same factory, same place in the app),
    // whose behaviour the tests below check.
    expectInstalled('api:external-secrets', externalSecretsApi);
    expectInstalled('entity-card:external-secrets', externalSecretsEntityCard);
    expectInstalled(
      'entity-content:external-secrets',
      externalSecretsEntityContent,
    );
    expectInstalled('page:external-secrets', externalSecretsPage);
    expectInstalled(
      'scaffolder-form-field:external-secrets/external-secret-mappings-picker',
      externalSecretMappingsPickerFormField,
    );
  });

  it('should load the ExternalSecretMappingsPicker scaffolder field with its validation', async () => {
    const loader = createExtensionTester(
      externalSecretMappingsPickerFormField,
    ).get(FormFieldBlueprint.dataRefs.formFieldLoader);

    const field = (await loader()) as unknown as {
      name: string;
      component: unknown;
      validation: unknown;
    };

    expect(field.name).toBe('ExternalSecretMappingsPicker');
    expect(field.component).toBe(ExternalSecretMappingsPicker);
    expect(field.validation).toBe(validateExternalSecretMappings);
  });

  it('should provide the REST client for the external-secrets API ref', () => {
    const factory = createExtensionTester(externalSecretsApi).get(
      ApiBlueprint.dataRefs.factory,
    );

    expect(factory.api.id).toBe(externalSecretsApiRef.id);
  });

  it.each([
    ['a kubernetes-id annotation', true, annotatedEntity],
    ['a manifests annotation', true, manifestOnlyEntity],
    ['no annotation', false, plainEntity],
  ])(
    'should, for an entity with %s, show the card and the tab: %s',
    (_name, shown, entity) => {
      const card = createExtensionTester(externalSecretsEntityCard);
      const content = createExtensionTester(externalSecretsEntityContent);

      expect(
        card.get(EntityCardBlueprint.dataRefs.filterFunction)!(entity),
      ).toBe(shown);
      expect(
        content.get(EntityContentBlueprint.dataRefs.filterFunction)!(entity),
      ).toBe(shown);
    },
  );

  it('should mount the tab at external-secrets with the title "Secrets"', () => {
    const content = createExtensionTester(externalSecretsEntityContent);

    expect(content.get(coreExtensionData.routePath)).toBe('external-secrets');
    expect(content.get(EntityContentBlueprint.dataRefs.title)).toBe('Secrets');
  });

  it('should mount the admin page at /external-secrets with a nav title and icon', () => {
    const page = createExtensionTester(externalSecretsPage);

    expect(page.get(coreExtensionData.routePath)).toBe('/external-secrets');
    expect(page.get(coreExtensionData.title)).toBe('External Secrets');
    expect(page.get(coreExtensionData.icon)).toBeDefined();
    expect(page.get(coreExtensionData.routeRef)).toBeDefined();
  });
});
