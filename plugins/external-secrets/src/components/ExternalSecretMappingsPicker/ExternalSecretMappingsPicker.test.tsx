import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import {
  storeKeysResponse,
  storesResponse,
  storesWithAws,
} from '../../__fixtures__/status';
import {
  mockExternalSecretsApi,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { ExternalSecretMappingsPicker } from './ExternalSecretMappingsPicker';
import type { ExternalSecretMappingsDraft } from './validateMappings';

jest.setTimeout(30_000);

const READY_STORE = 'dev-cluster/ClusterSecretStore//infisical';

type Value = ExternalSecretMappingsDraft | undefined;

/** The field as the scaffolder form drives it: controlled, value kept between renders. */
function Field(props: {
  initial?: Value;
  rawErrors?: string[];
  onValue: (value: Value) => void;
}) {
  const [value, setValue] = useState<Value>(props.initial);
  const fieldProps = {
    formData: value,
    onChange: (next: Value) => {
      setValue(next);
      props.onValue(next);
    },
    schema: { title: 'Secrets of the service', type: 'object' },
    uiSchema: {},
    rawErrors: props.rawErrors ?? [],
    required: true,
    idSchema: { $id: 'root_secrets' },
  } as unknown as FieldExtensionComponentProps<Value>;
  return <ExternalSecretMappingsPicker {...fieldProps} />;
}

async function renderField(
  api: ReturnType<typeof mockExternalSecretsApi>,
  options: { initial?: Value; rawErrors?: string[] } = {},
) {
  const onValue = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[externalSecretsApiRef, api]]}>
      <Field {...options} onValue={onValue} />
    </TestApiProvider>,
  );
  return { onValue, lastValue: (): Value => onValue.mock.lastCall?.[0] };
}

function apiWithStores(
  overrides: Parameters<typeof mockExternalSecretsApi>[0] = {},
) {
  return mockExternalSecretsApi({
    getStores: jest.fn(async () => storesResponse()),
    listStoreKeys: jest.fn(async () => storeKeysResponse()),
    ...overrides,
  });
}

const storeSelect = () => screen.findByRole('combobox', { name: /^Store/ });
const mapping = (n: number) =>
  within(screen.getByRole('group', { name: `Mapping ${n}` }));

describe('ExternalSecretMappingsPicker', () => {
  it('should list Ready stores as choices and the others disabled with their reason', async () => {
    await renderField(apiWithStores());

    const select = await storeSelect();
    const ready = within(select).getByRole('option', {
      name: 'ClusterSecretStore infisical (dev-cluster)',
    }) as HTMLOptionElement;
    const notReady = within(select).getByRole('option', {
      name: /^SecretStore payments\/infisical-payments/,
    }) as HTMLOptionElement;

    expect(ready.disabled).toBe(false);
    expect(notReady.disabled).toBe(true);
    expect(notReady).toHaveTextContent(
      'not ready: InvalidProviderConfig: universal auth login failed: 401 invalid client secret',
    );
    expect(screen.getByText('Secrets of the service')).toBeInTheDocument();
  });

  it('should ask the keys of a Ready store declared in app-config, which has no cluster', async () => {
    const user = userEvent.setup();
    const configStore = {
      ...storesResponse().stores[0],
      cluster: '',
      origin: 'config' as const,
      name: 'shared-infisical',
    };
    const api = apiWithStores({
      getStores: jest.fn(async () => ({ stores: [configStore] })),
    });
    await renderField(api);

    await user.selectOptions(
      await storeSelect(),
      '/ClusterSecretStore//shared-infisical',
    );
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Remote key/ }),
      'DB_',
    );

    expect(api.listStoreKeys).toHaveBeenCalledWith({
      cluster: '',
      kind: 'ClusterSecretStore',
      namespace: '',
      name: 'shared-infisical',
    });
    expect(
      (await screen.findAllByRole('option', { name: /^DB_/ })).map(
        option => option.textContent,
      ),
    ).toEqual(['DB_PASSWORD', 'DB_USER']);
  });

  it('should suggest the chosen store key names and emit the mapping value', async () => {
    const user = userEvent.setup();
    const api = apiWithStores();
    const { lastValue } = await renderField(api);

    await user.selectOptions(await storeSelect(), READY_STORE);
    await waitFor(() =>
      expect(api.listStoreKeys).toHaveBeenCalledWith({
        cluster: 'dev-cluster',
        kind: 'ClusterSecretStore',
        namespace: '',
        name: 'infisical',
      }),
    );
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Remote key/ }),
      'DB_',
    );

    const options = await screen.findAllByRole('option', { name: /^DB_/ });
    expect(options.map(option => option.textContent)).toEqual([
      'DB_PASSWORD',
      'DB_USER',
    ]);
    await user.click(screen.getByRole('option', { name: 'DB_PASSWORD' }));
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Property/ }),
      'password',
    );
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Secret key/ }),
      'DB_PASSWORD',
    );

    expect(lastValue()).toEqual({
      store: {
        kind: 'ClusterSecretStore',
        name: 'infisical',
        cluster: 'dev-cluster',
      },
      data: [
        {
          secretKey: 'DB_PASSWORD',
          remoteRef: { key: 'DB_PASSWORD', property: 'password' },
        },
      ],
    });
  });

  it('should suggest the key names of an AWS Secrets Manager store (slash-separated names) the same way', async () => {
    const user = userEvent.setup();
    const api = mockExternalSecretsApi({
      getStores: jest.fn(async () => storesWithAws()),
      listStoreKeys: jest.fn(async () =>
        storeKeysResponse({
          store: {
            cluster: 'dev-cluster',
            kind: 'ClusterSecretStore',
            namespace: '-',
            name: 'aws-secrets-manager',
          },
          keys: ['checkout/db', 'checkout/payment-gateway', 'orders/api-key'],
        }),
      ),
    });
    const { lastValue } = await renderField(api);

    await user.selectOptions(
      await storeSelect(),
      'dev-cluster/ClusterSecretStore//aws-secrets-manager',
    );
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Remote key/ }),
      'checkout/',
    );
    const options = await screen.findAllByRole('option', {
      name: /^checkout\//,
    });
    expect(options.map(option => option.textContent)).toEqual([
      'checkout/db',
      'checkout/payment-gateway',
    ]);
    await user.click(
      screen.getByRole('option', { name: 'checkout/payment-gateway' }),
    );
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Property/ }),
      'token',
    );
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Secret key/ }),
      'gateway-token',
    );

    expect(api.listStoreKeys).toHaveBeenCalledWith({
      cluster: 'dev-cluster',
      kind: 'ClusterSecretStore',
      namespace: '',
      name: 'aws-secrets-manager',
    });
    expect(lastValue()).toEqual({
      store: {
        kind: 'ClusterSecretStore',
        name: 'aws-secrets-manager',
        cluster: 'dev-cluster',
      },
      data: [
        {
          secretKey: 'gateway-token',
          remoteRef: { key: 'checkout/payment-gateway', property: 'token' },
        },
      ],
    });
  });

  it('should show secret key errors while typing and clear them once fixed', async () => {
    const user = userEvent.setup();
    await renderField(apiWithStores());
    await user.selectOptions(await storeSelect(), READY_STORE);
    const secretKey = mapping(1).getByRole('textbox', { name: /^Secret key/ });

    await user.type(secretKey, 'db password');
    expect(
      mapping(1).getByText(
        'Use only letters, digits, "-", "_" and "." (^[-._a-zA-Z0-9]+$)',
      ),
    ).toBeInTheDocument();
    expect(secretKey).toHaveAttribute('aria-invalid', 'true');

    await user.clear(secretKey);
    await user.type(secretKey, 'db.password');
    expect(secretKey).toHaveAttribute('aria-invalid', 'false');
    expect(mapping(1).queryByText(/Use only letters/)).not.toBeInTheDocument();
  });

  it('should flag a secret key used twice on the later mapping', async () => {
    const user = userEvent.setup();
    await renderField(apiWithStores());
    await user.selectOptions(await storeSelect(), READY_STORE);

    await user.type(
      mapping(1).getByRole('textbox', { name: /^Secret key/ }),
      'TOKEN',
    );
    await user.click(screen.getByRole('button', { name: 'Add mapping' }));
    await user.type(
      mapping(2).getByRole('textbox', { name: /^Secret key/ }),
      'TOKEN',
    );

    expect(
      mapping(2).getByText('Already used by mapping 1'),
    ).toBeInTheDocument();
    expect(
      mapping(1).queryByText('Already used by mapping 1'),
    ).not.toBeInTheDocument();
  });

  it('should say a remote key is required once the input is left empty', async () => {
    const user = userEvent.setup();
    await renderField(apiWithStores());
    await user.selectOptions(await storeSelect(), READY_STORE);

    expect(
      screen.queryByText('Remote key is required'),
    ).not.toBeInTheDocument();
    await user.click(mapping(1).getByRole('textbox', { name: /^Remote key/ }));
    await user.click(mapping(1).getByRole('textbox', { name: /^Secret key/ }));

    expect(mapping(1).getByText('Remote key is required')).toBeInTheDocument();
  });

  it('should show every problem once the form reported errors for the field', async () => {
    await renderField(apiWithStores(), { rawErrors: ['Choose a store'] });

    await storeSelect();
    expect(screen.getAllByText('Choose a store').length).toBeGreaterThan(0);
    expect(mapping(1).getByText('Remote key is required')).toBeInTheDocument();
    expect(mapping(1).getByText('Secret key is required')).toBeInTheDocument();
  });

  it('should explain the missing permission and accept typed keys when key names are forbidden', async () => {
    const user = userEvent.setup();
    const { lastValue } = await renderField(
      apiWithStores({
        listStoreKeys: jest.fn(async () => {
          throw await responseError(403, 'Unauthorized', 'NotAllowedError');
        }),
      }),
    );

    await user.selectOptions(await storeSelect(), READY_STORE);

    const notice = await screen.findByText(
      /suggestions from ClusterSecretStore infisical need the/,
    );
    expect(notice).toHaveTextContent('external-secrets.stores.keys.read');
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Remote key/ }),
      '/orders/db',
    );
    expect(lastValue()?.data?.[0].remoteRef.key).toBe('/orders/db');
  });

  it('should accept keys outside the list when the list is truncated', async () => {
    const user = userEvent.setup();
    const { lastValue } = await renderField(
      apiWithStores({
        listStoreKeys: jest.fn(async () =>
          storeKeysResponse({ truncated: true }),
        ),
      }),
    );

    await user.selectOptions(await storeSelect(), READY_STORE);

    expect(
      await screen.findByText(
        'ClusterSecretStore infisical has more keys than are suggested: you may type any key.',
      ),
    ).toBeInTheDocument();
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Remote key/ }),
      'NOT_LISTED',
    );
    expect(lastValue()?.data?.[0].remoteRef.key).toBe('NOT_LISTED');
  });

  it('should accept a typed key that is not in the complete list, with a "not in the list" warning that is not an error', async () => {
    const user = userEvent.setup();
    const { lastValue } = await renderField(apiWithStores());
    await user.selectOptions(await storeSelect(), READY_STORE);
    await screen.findByRole('group', { name: 'Mapping 1' });
    const input = mapping(1).getByRole('textbox', { name: /^Remote key/ });

    await user.type(input, '/payments/DB_PASSWORD');
    await user.tab();

    expect(lastValue()?.data?.[0].remoteRef.key).toBe('/payments/DB_PASSWORD');
    expect(
      mapping(1).getByText(
        'Not in the list of keys ClusterSecretStore infisical can read: check the name',
      ),
    ).toBeInTheDocument();
    expect(input).not.toHaveAttribute('aria-invalid', 'true');
  });

  it('should not warn about a key from the list', async () => {
    const user = userEvent.setup();
    await renderField(apiWithStores());
    await user.selectOptions(await storeSelect(), READY_STORE);
    await screen.findByRole('group', { name: 'Mapping 1' });

    await user.type(
      mapping(1).getByRole('textbox', { name: /^Remote key/ }),
      'DB_USER',
    );

    expect(mapping(1).queryByText(/Not in the list/)).not.toBeInTheDocument();
  });

  it('should show why the list is incomplete and say a typed key is not in that partial list', async () => {
    const user = userEvent.setup();
    const { lastValue } = await renderField(
      apiWithStores({
        listStoreKeys: jest.fn(async () =>
          storeKeysResponse({
            complete: false,
            message:
              'ClusterSecretStore infisical: the identity may not list the whole environment; only / is listed.',
          }),
        ),
      }),
    );
    await user.selectOptions(await storeSelect(), READY_STORE);

    expect(
      await screen.findByText(
        'ClusterSecretStore infisical: the identity may not list the whole environment; only / is listed. You may type any key.',
      ),
    ).toBeInTheDocument();
    await user.type(
      mapping(1).getByRole('textbox', { name: /^Remote key/ }),
      '/payments/DB_PASSWORD',
    );
    expect(lastValue()?.data?.[0].remoteRef.key).toBe('/payments/DB_PASSWORD');
    expect(
      mapping(1).getByText(
        'Not in the partial list of keys ClusterSecretStore infisical can read',
      ),
    ).toBeInTheDocument();
  });

  it('should show the server message when the store key names cannot be read', async () => {
    const user = userEvent.setup();
    await renderField(
      apiWithStores({
        listStoreKeys: jest.fn(async () => {
          throw await responseError(
            409,
            'ClusterSecretStore infisical is not Ready: InvalidProviderConfig',
          );
        }),
      }),
    );

    await user.selectOptions(await storeSelect(), READY_STORE);

    expect(
      await screen.findByText(
        /Could not list the keys of ClusterSecretStore infisical: ClusterSecretStore infisical is not Ready: InvalidProviderConfig/,
      ),
    ).toBeInTheDocument();
  });

  it('should explain the missing permission when stores cannot be listed', async () => {
    await renderField(
      apiWithStores({
        getStores: jest.fn(async () => {
          throw await responseError(403, 'Unauthorized', 'NotAllowedError');
        }),
      }),
    );

    const alert = await screen.findByText(/You may not list the secret stores/);
    expect(alert).toHaveTextContent('external-secrets.stores.read');
    expect(await storeSelect()).toBeDisabled();
  });

  it('should remove a mapping and emit the remaining ones', async () => {
    const user = userEvent.setup();
    const initial = {
      store: {
        kind: 'ClusterSecretStore',
        name: 'infisical',
        cluster: 'dev-cluster',
      },
      data: [
        { secretKey: 'A', remoteRef: { key: 'API_TOKEN' } },
        { secretKey: 'B', remoteRef: { key: 'DB_USER' } },
      ],
    };
    const { lastValue } = await renderField(apiWithStores(), { initial });
    await waitFor(async () =>
      expect(await storeSelect()).toHaveValue(READY_STORE),
    );

    await user.click(screen.getByRole('button', { name: 'Remove mapping 1' }));

    expect(lastValue()).toEqual({ ...initial, data: [initial.data[1]] });
    expect(
      screen.getByRole('button', { name: 'Remove mapping 1' }),
    ).toBeDisabled();
  });
});
