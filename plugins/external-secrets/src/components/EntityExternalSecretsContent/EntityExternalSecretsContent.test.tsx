import { usePermission } from '@backstage/plugin-permission-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { annotatedEntity, plainEntity } from '../../__fixtures__/entities';
import {
  CANARY,
  eventsResponse,
  failingExternalSecret,
  minutesFromNow,
  statusResponse,
  syncedExternalSecret,
} from '../../__fixtures__/status';
import {
  codeBlockTexts,
  mockExternalSecretsApi,
  mockSignalApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { EntityExternalSecretsContent } from './EntityExternalSecretsContent';

jest.mock('@backstage/plugin-permission-react', () => ({
  ...jest.requireActual('@backstage/plugin-permission-react'),
  usePermission: jest.fn(),
}));

jest.setTimeout(30_000);

const mockUsePermission = usePermission as jest.MockedFunction<
  typeof usePermission
>;

function loadedApi() {
  return mockExternalSecretsApi({
    getEntityStatus: jest.fn(async () =>
      statusResponse(syncedExternalSecret(), failingExternalSecret()),
    ),
    getEntityEvents: jest.fn(async () => eventsResponse()),
    syncEntity: jest.fn(async () => ({
      requested: [
        {
          cluster: 'dev-cluster',
          namespace: 'orders',
          name: 'orders-db',
          how: 'force-sync-annotation' as const,
        },
      ],
    })),
  });
}

describe('EntityExternalSecretsContent', () => {
  beforeEach(() => {
    mockUsePermission.mockReturnValue({ loading: false, allowed: true });
  });
  afterEach(() => jest.resetAllMocks());

  it('should show the key table, the events and the declared manifests', async () => {
    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api: loadedApi(),
    });

    const table = await screen.findByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(6);
    expect(
      await screen.findByRole('list', {
        name: 'Recent sync events, newest first',
      }),
    ).toBeInTheDocument();

    const manifests = codeBlockTexts();
    expect(manifests).toHaveLength(2);
    expect(manifests[0]).toContain('name: orders-db-credentials');
    expect(manifests[1]).toContain('key: /orders/payment-token');
    manifests.forEach(yaml => {
      expect(yaml).toContain('apiVersion: external-secrets.io/v1');
      expect(yaml).not.toContain(CANARY);
      expect(yaml).not.toContain('not found');
    });
    expect(screen.getAllByRole('button', { name: 'Copy text' })).toHaveLength(
      2,
    );
  });

  it('should show when each ExternalSecret last synced and was last attempted', async () => {
    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api: loadedApi(),
    });

    const times = within(
      await screen.findByRole('list', { name: 'Sync times' }),
    );
    const failing = within(
      times.getByText('orders/orders-api-keys').closest('li')!,
    );
    expect(failing.getByText(/Last sync/)).toBeInTheDocument();
    expect(failing.getByText('2 hours ago')).toBeInTheDocument();
    expect(failing.getByText('2 minutes ago')).toBeInTheDocument();
  });

  it('should show when an observed ExternalSecret was last checked', async () => {
    const api = loadedApi();
    api.getEntityStatus.mockImplementation(async () =>
      statusResponse({
        ...syncedExternalSecret(),
        mode: 'observe',
        lastAttemptAt: minutesFromNow(-1),
      }),
    );
    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api,
    });

    const times = within(
      await screen.findByRole('list', { name: 'Sync times' }),
    );
    expect(times.getByText(/Last checked/)).toBeInTheDocument();
    expect(times.getByText('1 minute ago')).toBeInTheDocument();
    expect(times.queryByText(/Last attempt/)).not.toBeInTheDocument();
  });

  it('should reload status and events after "Sync now" and keep the result visible', async () => {
    const api = loadedApi();
    const user = userEvent.setup();

    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api,
    });
    await user.click(await screen.findByRole('button', { name: /^Sync now/ }));

    expect(
      await screen.findByText(/Sync requested for 1 ExternalSecret:/),
    ).toBeInTheDocument();
    // The attempt never lands here, so the page keeps asking for the status.
    await waitFor(() =>
      expect(api.getEntityStatus.mock.calls.length).toBeGreaterThanOrEqual(2),
    );
    await waitFor(() =>
      expect(api.getEntityEvents.mock.calls.length).toBeGreaterThanOrEqual(2),
    );
    expect(
      screen.getByText(
        'dev-cluster/orders/orders-db (force-sync annotation set)',
      ),
    ).toBeInTheDocument();
  });

  it('should poll after "Sync now" until the requested attempt lands, then show it without a reload', async () => {
    const failing = failingExternalSecret();
    const landed = {
      ...failing,
      state: 'Synced' as const,
      reason: 'SecretSynced',
      message: 'secret synced',
      lastAttemptAt: new Date().toISOString(),
      lastSyncAt: new Date().toISOString(),
      keys: failing.keys.map(k => ({ ...k, state: 'synced' as const })),
    };
    let attemptLanded = false;
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () =>
        statusResponse(attemptLanded ? landed : failing),
      ),
      getEntityEvents: jest.fn(async () => eventsResponse()),
      syncEntity: jest.fn(async () => ({
        requested: [
          {
            cluster: 'dev-cluster',
            namespace: 'orders',
            name: 'orders-api-keys',
            how: 'force-sync-annotation' as const,
          },
        ],
      })),
    });
    const user = userEvent.setup();
    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api,
    });
    const times = await screen.findByRole('list', { name: 'Sync times' });
    expect(within(times).getByText('Error')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /^Sync now/ }));
    // The first reload still sees the old attempt: the page keeps asking.
    await waitFor(() => expect(api.getEntityStatus).toHaveBeenCalledTimes(2));
    attemptLanded = true;

    await waitFor(
      () => expect(within(times).getByText('Synced')).toBeInTheDocument(),
      { timeout: 8000 },
    );
    const calls = api.getEntityStatus.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 2500));
    expect(api.getEntityStatus.mock.calls.length).toBe(calls);
  });

  it('should reload when the backend signals a status change on the entity channel', async () => {
    const api = loadedApi();
    const signals = mockSignalApi();
    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api,
      signals: signals.api,
    });
    await screen.findByRole('table');
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);

    signals.send('external-secrets:status:component:default/orders-service', {
      changedAt: new Date().toISOString(),
    });

    await waitFor(() => expect(api.getEntityStatus).toHaveBeenCalledTimes(2));
  });

  it('should hide "Sync now" from users without the sync permission', async () => {
    mockUsePermission.mockReturnValue({ loading: false, allowed: false });

    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api: loadedApi(),
    });

    expect(await screen.findByRole('table')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Sync now/ }),
    ).not.toBeInTheDocument();
  });

  it('should show the missing-annotation guide for an entity without annotations', async () => {
    const api = loadedApi();

    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: plainEntity,
      api,
    });

    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });

  it('should say the user lacks permission when the status answers 403', async () => {
    const api = loadedApi();
    api.getEntityStatus.mockImplementation(async () => {
      throw await responseError(403, 'Unauthorized', 'NotAllowedError');
    });

    await renderForEntity(<EntityExternalSecretsContent />, {
      entity: annotatedEntity,
      api,
    });

    expect(
      await screen.findByText(
        "You do not have permission to view this entity's secret sync status",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
