import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { annotatedEntity } from '../../__fixtures__/entities';
import {
  eventsResponse,
  overviewResponse,
  statusResponse,
  storesResponse,
  syncedExternalSecret,
} from '../../__fixtures__/status';
import {
  mockExternalSecretsApi,
  renderForEntity,
} from '../../__testUtils__/renderForEntity';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import { EntityExternalSecretsCard } from '../EntityExternalSecretsCard';
import { EntityExternalSecretsContent } from '../EntityExternalSecretsContent';
import { ExternalSecretsOverview } from '../ExternalSecretsOverview';

jest.mock('@backstage/plugin-permission-react', () => ({
  ...jest.requireActual('@backstage/plugin-permission-react'),
  usePermission: jest.fn(),
}));

jest.setTimeout(30_000);

const PLAYGROUND = { clusters: 1, playground: true };
const REAL = { clusters: 1, playground: false };
const LABEL = 'Playground — simulated cluster, sample values';

function entityApi(setup: typeof PLAYGROUND) {
  return mockExternalSecretsApi({
    getEntityStatus: jest.fn(async () => ({
      ...statusResponse(syncedExternalSecret()),
      setup,
    })),
    getEntityEvents: jest.fn(async () => eventsResponse()),
  });
}

describe('the playground label', () => {
  beforeEach(() => {
    (usePermission as jest.Mock).mockReturnValue({
      loading: false,
      allowed: true,
    });
  });

  it('should label the entity card when the backend runs the playground', async () => {
    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api: entityApi(PLAYGROUND),
    });

    expect(await screen.findByText(LABEL)).toBeInTheDocument();
    expect(screen.getByText('orders-db')).toBeInTheDocument();
  });

  it('should label the Secrets tab when the backend runs the playground', async () => {
    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api: entityApi(PLAYGROUND),
    });

    expect(await screen.findByText(LABEL)).toBeInTheDocument();
  });

  it('should label the admin page when the backend runs the playground', async () => {
    const api = mockExternalSecretsApi({
      getOverview: jest.fn(async () => overviewResponse()),
      getStores: jest.fn(async () => ({
        ...storesResponse(),
        setup: PLAYGROUND,
      })),
    });

    await renderInTestApp(
      <TestApiProvider apis={[[externalSecretsApiRef, api]]}>
        <ExternalSecretsOverview />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText(LABEL)).toBeInTheDocument();
  });

  it('should not label a real setup', async () => {
    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api: entityApi(REAL),
    });

    expect(await screen.findByText('orders-db')).toBeInTheDocument();
    expect(screen.queryByText(LABEL)).not.toBeInTheDocument();
  });
});
