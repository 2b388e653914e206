import { usePermission } from '@backstage/plugin-permission-react';
import { externalSecretsEntitySyncPermission } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { annotatedEntity } from '../../__fixtures__/entities';
import {
  mockExternalSecretsApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { SyncNowButton } from './SyncNowButton';

jest.mock('@backstage/plugin-permission-react', () => ({
  ...jest.requireActual('@backstage/plugin-permission-react'),
  usePermission: jest.fn(),
}));

const mockUsePermission = usePermission as jest.MockedFunction<
  typeof usePermission
>;

function allowSync(allowed: boolean) {
  mockUsePermission.mockReturnValue({ loading: false, allowed });
}

const syncButton = () => screen.getByRole('button', { name: /^Sync now/ });

describe('SyncNowButton', () => {
  afterEach(() => jest.resetAllMocks());

  it('should not be shown when the sync permission is denied', async () => {
    allowSync(false);

    await renderForEntity(<SyncNowButton entity={annotatedEntity} />, {
      entity: annotatedEntity,
      api: mockExternalSecretsApi(),
    });

    expect(
      screen.queryByRole('button', { name: /Sync now/ }),
    ).not.toBeInTheDocument();
    expect(mockUsePermission).toHaveBeenCalledWith({
      permission: externalSecretsEntitySyncPermission,
      resourceRef: 'component:default/orders-service',
    });
  });

  it('should not be shown while the permission is being checked', async () => {
    mockUsePermission.mockReturnValue({ loading: true, allowed: false });

    await renderForEntity(<SyncNowButton entity={annotatedEntity} />, {
      entity: annotatedEntity,
      api: mockExternalSecretsApi(),
    });

    expect(
      screen.queryByRole('button', { name: /Sync now/ }),
    ).not.toBeInTheDocument();
  });

  it('should request a sync, show progress, then list what was requested', async () => {
    allowSync(true);
    let answer: (value: unknown) => void = () => {};
    const api = mockExternalSecretsApi({
      syncEntity: jest.fn(
        () =>
          new Promise(resolve => {
            answer = resolve;
          }) as never,
      ),
    });
    const onRequested = jest.fn();
    const user = userEvent.setup();

    await renderForEntity(
      <SyncNowButton entity={annotatedEntity} onRequested={onRequested} />,
      { entity: annotatedEntity, api },
    );
    syncButton().focus();
    await user.keyboard('{Enter}');

    expect(syncButton()).toBeDisabled();
    expect(screen.getByRole('progressbar', { name: 'Syncing' })).toBeVisible();

    answer({
      requested: [
        {
          cluster: 'dev-cluster',
          namespace: 'orders',
          name: 'orders-db',
          how: 'force-sync-annotation',
        },
        {
          cluster: 'dev-cluster',
          namespace: 'orders',
          name: 'orders-api-keys',
          how: 'scheduled',
        },
      ],
    });

    expect(
      await screen.findByText(/Sync requested for 2 ExternalSecrets/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'dev-cluster/orders/orders-db (force-sync annotation set)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'dev-cluster/orders/orders-api-keys (immediate run scheduled)',
      ),
    ).toBeInTheDocument();
    expect(syncButton()).toBeEnabled();
    expect(onRequested).toHaveBeenCalledTimes(1);
    expect(api.syncEntity).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-service',
    });
  });

  it('should say it is rate limited, with the server message, on 429', async () => {
    allowSync(true);
    const api = mockExternalSecretsApi({
      syncEntity: jest.fn(async () => {
        throw await responseError(
          429,
          'sync-now for component:default/orders-service allowed once per 30s',
          'TooManyRequestsError',
        );
      }),
    });
    const onRequested = jest.fn();
    const user = userEvent.setup();

    await renderForEntity(
      <SyncNowButton entity={annotatedEntity} onRequested={onRequested} />,
      { entity: annotatedEntity, api },
    );
    await user.click(syncButton());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Rate limited: try again later. sync-now for component:default/orders-service allowed once per 30s',
    );
    expect(onRequested).not.toHaveBeenCalled();
  });

  it('should show the wait from Retry-After on the disabled button, then enable it again', async () => {
    allowSync(true);
    const api = mockExternalSecretsApi({
      syncEntity: jest.fn(async () => {
        throw await responseError(
          429,
          'sync-now is limited to 6 requests per minute per user; try again in 2s',
          'SyncRateLimitedError',
          { 'Retry-After': '2' },
        );
      }),
    });
    const user = userEvent.setup();

    await renderForEntity(<SyncNowButton entity={annotatedEntity} />, {
      entity: annotatedEntity,
      api,
    });
    await user.click(syncButton());

    expect(
      await screen.findByRole('button', { name: /Sync now \(wait [12] s\)/ }),
    ).toBeDisabled();
    await waitFor(() => expect(syncButton()).toBeEnabled(), { timeout: 4000 });
    expect(syncButton()).toHaveTextContent(/^Sync now$/);
  });

  it('should show the server message of any other failure', async () => {
    allowSync(true);
    const api = mockExternalSecretsApi({
      syncEntity: jest.fn(async () => {
        throw await responseError(
          404,
          'entity component:default/orders-service not found',
          'NotFoundError',
        );
      }),
    });
    const user = userEvent.setup();

    await renderForEntity(<SyncNowButton entity={annotatedEntity} />, {
      entity: annotatedEntity,
      api,
    });
    await user.click(syncButton());

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Sync failed: entity component:default/orders-service not found',
    );
  });
});
