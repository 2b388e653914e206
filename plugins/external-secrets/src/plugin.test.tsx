import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { annotatedEntity } from './__fixtures__/entities';
import { statusResponse, syncedExternalSecret } from './__fixtures__/status';
import {
  EntityExternalSecretsCard,
  ExternalSecretMappingsPickerFieldExtension,
  ExternalSecretsClient,
  externalSecretsApiRef,
  externalSecretsPlugin,
  isExternalSecretsAvailable,
  validateExternalSecretMappings,
} from './index';
import {
  mockExternalSecretsApi,
  renderForEntity,
} from './__testUtils__/renderForEntity';

describe('externalSecretsPlugin (legacy system)', () => {
  it('should register the REST client as the external-secrets API', () => {
    const factories = [...externalSecretsPlugin.getApis()];

    expect(externalSecretsPlugin.getId()).toBe('external-secrets');
    expect(factories.map(factory => factory.api.id)).toEqual([
      externalSecretsApiRef.id,
    ]);
    const client = factories[0].factory({
      discoveryApi: { getBaseUrl: async () => 'http://backstage.test' },
      fetchApi: { fetch: jest.fn() },
    });
    expect(client).toBeInstanceOf(ExternalSecretsClient);
  });

  it('should render the card extension for an annotated entity', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () =>
        statusResponse(syncedExternalSecret()),
      ),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    expect(await screen.findByText('External Secrets')).toBeInTheDocument();
    expect(
      await screen.findByText('DB_PASSWORD ← infisical:/orders/db.password'),
    ).toBeInTheDocument();
  });

  it('should offer the ExternalSecretMappingsPicker field to the scaffolder with its validation', async () => {
    function RegisteredFields() {
      const fields = useCustomFieldExtensions(
        <ScaffolderFieldExtensions>
          <ExternalSecretMappingsPickerFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      return (
        <ul>
          {fields.map(field => (
            <li key={field.name}>
              {field.name}
              {field.validation === validateExternalSecretMappings
                ? ' (validated)'
                : ''}
            </li>
          ))}
        </ul>
      );
    }

    await renderInTestApp(<RegisteredFields />);

    expect(screen.getByRole('listitem')).toHaveTextContent(
      'ExternalSecretMappingsPicker (validated)',
    );
  });

  it('should re-export the entity filter for EntitySwitch', () => {
    expect(isExternalSecretsAvailable(annotatedEntity)).toBe(true);
  });
});
