import { screen, within } from '@testing-library/react';
import { annotatedEntity } from '../../__fixtures__/entities';
import { eventsResponse } from '../../__fixtures__/status';
import {
  mockExternalSecretsApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { SyncEventsList } from './SyncEventsList';

describe('SyncEventsList', () => {
  it('should list the events newest first with their type, message and changed keys', async () => {
    const api = mockExternalSecretsApi({
      getEntityEvents: jest.fn(async () => eventsResponse()),
    });

    await renderForEntity(<SyncEventsList entity={annotatedEntity} />, {
      entity: annotatedEntity,
      api,
    });

    const list = await screen.findByRole('list', {
      name: 'Recent sync events, newest first',
    });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      expect.stringMatching(/^Error orders\/orders-api-keys \(2 minutes ago\)/),
      expect.stringMatching(/^Updated orders\/orders-db \(30 minutes ago\)/),
      expect.stringMatching(/^Created orders\/orders-db \(3 hours ago\)/),
    ]);
    expect(
      within(items[0]).getByText('remote key /orders/payment-token not found'),
    ).toBeInTheDocument();
    expect(
      within(items[2]).getByText('Changed keys: DB_PASSWORD, DB_USER'),
    ).toBeInTheDocument();
    expect(api.getEntityEvents).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'orders-service' },
      { limit: 20 },
    );
  });

  it('should say so when no event was recorded', async () => {
    const api = mockExternalSecretsApi({
      getEntityEvents: jest.fn(async () => ({
        entityRef: 'component:default/orders-service',
        events: [],
      })),
    });

    await renderForEntity(<SyncEventsList entity={annotatedEntity} />, {
      entity: annotatedEntity,
      api,
    });

    expect(
      await screen.findByText('No sync events recorded yet.'),
    ).toBeInTheDocument();
  });

  it('should say the user lacks permission when the API answers 403', async () => {
    const api = mockExternalSecretsApi({
      getEntityEvents: jest.fn(async () => {
        throw await responseError(403, 'Unauthorized', 'NotAllowedError');
      }),
    });

    await renderForEntity(<SyncEventsList entity={annotatedEntity} />, {
      entity: annotatedEntity,
      api,
    });

    expect(
      await screen.findByText(
        "You do not have permission to view this entity's sync events",
      ),
    ).toBeInTheDocument();
  });
});
