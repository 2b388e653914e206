import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import {
  overviewResponse,
  storesResponse,
  storesWithAws,
} from '../../__fixtures__/status';
import {
  mockExternalSecretsApi,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { ExternalSecretsOverview } from './ExternalSecretsOverview';

jest.setTimeout(30_000);

function renderOverview(api: ReturnType<typeof mockExternalSecretsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[externalSecretsApiRef, api]]}>
      <ExternalSecretsOverview />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ExternalSecretsOverview', () => {
  it('should list an AWS Secrets Manager store beside the Infisical ones, with its provider and validation', async () => {
    const api = mockExternalSecretsApi({
      getOverview: jest.fn(async () => overviewResponse()),
      getStores: jest.fn(async () => storesWithAws()),
    });

    await renderOverview(api);

    const awsRow = (
      await screen.findByText('ClusterSecretStore aws-secrets-manager')
    ).closest('tr')!;
    expect(within(awsRow).getByText('aws')).toBeInTheDocument();
    expect(within(awsRow).getByText('Ready')).toBeInTheDocument();
    const infisicalRow = screen
      .getByText('ClusterSecretStore infisical')
      .closest('tr')!;
    expect(within(infisicalRow).getByText('infisical')).toBeInTheDocument();
  });

  it('should show counts by state, failing ExternalSecrets linked to their entity, and stores', async () => {
    const stores = storesResponse();
    const api = mockExternalSecretsApi({
      getOverview: jest.fn(async () => overviewResponse()),
      getStores: jest.fn(async () => stores),
    });

    await renderOverview(api);

    const counts = within(
      await screen.findByRole('list', { name: 'ExternalSecrets by state' }),
    );
    expect(
      counts.getAllByRole('listitem').map(item => item.textContent),
    ).toEqual(['12Synced', '3Error', '1Pending', '2Not found', '0Unsupported']);

    const failingRow = screen
      .getByText('dev-cluster/payments/checkout-keys')
      .closest('tr')!;
    expect(
      within(failingRow).getByRole('link', { name: /checkout-service/ }),
    ).toHaveAttribute('href', '/catalog/payments/component/checkout-service');
    expect(within(failingRow).getByText('Error')).toBeInTheDocument();
    expect(
      within(failingRow).getByText('PAYMENT_TOKEN, WEBHOOK_SECRET'),
    ).toBeInTheDocument();
    expect(
      within(failingRow).getByText(
        'key PAYMENT_TOKEN: remote key /orders/payment-token not found',
      ),
    ).toBeInTheDocument();

    const readyRow = screen
      .getByText('ClusterSecretStore infisical')
      .closest('tr')!;
    expect(within(readyRow).getByText('Ready')).toBeInTheDocument();
    expect(within(readyRow).getByText('10 minutes ago')).toHaveAttribute(
      'title',
      stores.stores[0].lastValidatedAt,
    );
    const brokenRow = screen
      .getByText('SecretStore payments/infisical-payments')
      .closest('tr')!;
    expect(within(brokenRow).getByText('Not ready')).toBeInTheDocument();
    expect(within(brokenRow).getByText('app-config')).toBeInTheDocument();
    expect(
      within(brokenRow).getByText(
        'InvalidProviderConfig: universal auth login failed: 401 invalid client secret',
      ),
    ).toBeInTheDocument();
  });

  it('should title the stores section once, not "Secret stores" then "Stores"', async () => {
    const api = mockExternalSecretsApi({
      getOverview: jest.fn(async () => overviewResponse()),
      getStores: jest.fn(async () => storesResponse()),
    });

    await renderOverview(api);

    await screen.findByText('ClusterSecretStore infisical');
    expect(screen.getAllByText(/^(secret )?stores$/i)).toHaveLength(1);
  });

  it('should show each section it may read and a permission message for the other', async () => {
    const api = mockExternalSecretsApi({
      getOverview: jest.fn(async () => {
        throw await responseError(403, 'Unauthorized', 'NotAllowedError');
      }),
      getStores: jest.fn(async () => storesResponse()),
    });

    await renderOverview(api);

    expect(
      await screen.findByText(
        'You do not have permission to view the catalog-wide overview',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('external-secrets.overview.read'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('ClusterSecretStore infisical'),
    ).toBeInTheDocument();
  });

  it('should show an error panel when the stores cannot be read', async () => {
    const api = mockExternalSecretsApi({
      getOverview: jest.fn(async () => overviewResponse()),
      getStores: jest.fn(async () => {
        throw await responseError(503, 'status store is not ready');
      }),
    });

    await renderOverview(api);

    expect(
      (await screen.findAllByText(/status store is not ready/)).length,
    ).toBeGreaterThan(0);
  });
});
