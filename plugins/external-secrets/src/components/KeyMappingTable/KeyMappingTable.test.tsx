import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { annotatedEntity } from '../../__fixtures__/entities';
import {
  failingExternalSecret,
  syncedExternalSecret,
} from '../../__fixtures__/status';
import {
  mockExternalSecretsApi,
  renderForEntity,
} from '../../__testUtils__/renderForEntity';
import { KeyMappingTable } from './KeyMappingTable';

/** The "Secret key" cell of every body row, top to bottom. */
function secretKeyColumn(): string[] {
  const table = screen.getByRole('table');
  const headers = within(table)
    .getAllByRole('columnheader')
    .map(header => header.textContent);
  const index = headers.findIndex(text => text?.includes('Secret key'));
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[index]?.textContent ?? '');
}

async function renderTable() {
  const user = userEvent.setup();
  await renderForEntity(
    <KeyMappingTable
      entity={annotatedEntity}
      externalSecrets={[syncedExternalSecret(), failingExternalSecret()]}
    />,
    {
      entity: annotatedEntity,
      api: mockExternalSecretsApi(),
      kubernetesClusters: ['dev-cluster'],
    },
  );
  return user;
}

// material-table re-renders every row on each interaction: slow on a busy CI machine.
jest.setTimeout(30_000);

describe('KeyMappingTable', () => {
  it('should list every key of every ExternalSecret, worst state first', async () => {
    await renderTable();

    expect(secretKeyColumn()).toEqual([
      'PAYMENT_TOKEN',
      'WEBHOOK_SECRET',
      'DB_PASSWORD',
      'DB_USER',
      'ANALYTICS_KEY',
    ]);
    const paymentRow = screen.getByText('PAYMENT_TOKEN').closest('tr')!;
    expect(within(paymentRow).getByText('Error')).toBeInTheDocument();
    expect(
      within(paymentRow).getByText('infisical:/orders/payment-token'),
    ).toBeInTheDocument();
    expect(
      within(paymentRow).getByText(
        /Infisical returned 404 .* \(request id 4c1d\) — RemoteKeyNotFound/,
      ),
    ).toBeInTheDocument();
    expect(
      await within(paymentRow).findByRole('link', {
        name: /dev-cluster\/orders/,
      }),
    ).toBeInTheDocument();
  });

  it('should sort by secret key when its header is clicked, then reverse', async () => {
    const user = await renderTable();

    const header = within(
      screen.getByRole('columnheader', { name: 'Secret key' }),
    ).getByText('Secret key');

    await user.click(header);
    expect(secretKeyColumn()).toEqual([
      'ANALYTICS_KEY',
      'DB_PASSWORD',
      'DB_USER',
      'PAYMENT_TOKEN',
      'WEBHOOK_SECRET',
    ]);

    await user.click(header);
    expect(secretKeyColumn()[0]).toBe('WEBHOOK_SECRET');
  });

  it('should show only the rows in the chosen state', async () => {
    const user = await renderTable();
    const filter = screen.getByLabelText('Filter by state');

    expect(
      within(filter)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['All states (5)', 'Error (1)', 'Unsupported (1)', 'Synced (3)']);

    await user.selectOptions(filter, 'error');
    expect(secretKeyColumn()).toEqual(['PAYMENT_TOKEN']);

    await user.selectOptions(filter, 'synced');
    expect(secretKeyColumn()).toEqual([
      'DB_PASSWORD',
      'DB_USER',
      'ANALYTICS_KEY',
    ]);

    await user.selectOptions(filter, 'all');
    expect(secretKeyColumn()).toHaveLength(5);
  });
});
