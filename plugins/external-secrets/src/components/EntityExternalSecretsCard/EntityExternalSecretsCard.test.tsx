import { screen, within } from '@testing-library/react';
import {
  annotatedEntity,
  manifestOnlyEntity,
  plainEntity,
} from '../../__fixtures__/entities';
import {
  failingExternalSecret,
  minutesFromNow,
  statusResponse,
  syncedExternalSecret,
  twoStoreExternalSecret,
} from '../../__fixtures__/status';
import {
  codeBlockTexts,
  mockExternalSecretsApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { EntityExternalSecretsCard } from './EntityExternalSecretsCard';

describe('EntityExternalSecretsCard', () => {
  it('should show progress while the status loads', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(() => new Promise(() => {})),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('should explain what to add when the entity has no annotation', async () => {
    const api = mockExternalSecretsApi();

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: plainEntity,
      api,
    });

    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    const code = codeBlockTexts();
    expect(
      code.some(
        text =>
          text.includes('kind: ExternalSecret') &&
          text.includes('backstage.io/kubernetes-id: legacy-service'),
      ),
    ).toBe(true);
    expect(
      code.some(text =>
        text.includes('external-secrets.io/manifests: ./deploy/'),
      ),
    ).toBe(true);
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });

  it('should say no cluster is configured, and what to configure, when the backend has none', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () => ({
        ...statusResponse(),
        setup: { clusters: 0, playground: false },
      })),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    expect(
      await screen.findByText('No cluster is configured'),
    ).toBeInTheDocument();
    expect(screen.getByText(/externalSecrets\.clusters/)).toBeInTheDocument();
    expect(screen.getByText(/externalSecrets\.playground/)).toBeInTheDocument();
    expect(
      screen.queryByText(/check its labels, namespace and cluster/),
    ).not.toBeInTheDocument();
  });

  it('should say none were found when the entity is annotated but has no ExternalSecret', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () => statusResponse()),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    expect(
      await screen.findByText('No ExternalSecrets found for this entity yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/labelled backstage\.io\/kubernetes-id=orders-service/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Missing Annotation')).not.toBeInTheDocument();
  });

  it('should show a synced ExternalSecret with its mappings, store, target and times', async () => {
    const es = syncedExternalSecret();
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () => statusResponse(es)),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
      kubernetesClusters: ['dev-cluster'],
    });

    const section = await screen.findByRole('region', {
      name: 'ExternalSecret orders/orders-db',
    });
    const card = within(section);
    expect(
      card.getByRole('heading', { name: 'orders-db' }),
    ).toBeInTheDocument();
    expect(card.getAllByText('Synced')).toHaveLength(3);
    expect(card.getByText('ClusterSecretStore infisical')).toBeInTheDocument();
    expect(card.getByText(/orders-db-credentials/)).toBeInTheDocument();

    const mappings = within(
      card.getByRole('list', { name: 'Key mappings of orders/orders-db' }),
    );
    expect(
      mappings.getByText('DB_PASSWORD ← infisical:/orders/db.password'),
    ).toBeInTheDocument();
    expect(
      mappings.getByText('DB_USER ← infisical:/orders/db.username'),
    ).toBeInTheDocument();

    const lastSync = card.getByText('5 minutes ago');
    expect(lastSync).toHaveAttribute('title', es.lastSyncAt);
    expect(lastSync).toHaveAttribute('datetime', es.lastSyncAt);
    expect(card.getByText('in 55 minutes')).toHaveAttribute(
      'title',
      es.nextDueAt,
    );
    expect(card.getByText(/every 1h/)).toBeInTheDocument();

    expect(
      await card.findByRole('link', {
        name: 'Open dev-cluster/orders in the Kubernetes tab',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service/kubernetes',
    );
    expect(api.getEntityStatus).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-service',
    });
  });

  it('should show a Secret that draws from the AWS and the Infisical store, each key with its own source', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () =>
        statusResponse(twoStoreExternalSecret()),
      ),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    const card = within(
      await screen.findByRole('region', {
        name: 'ExternalSecret payments/checkout-payment-gateway',
      }),
    );
    expect(
      card.getByText('ClusterSecretStore aws-secrets-manager'),
    ).toBeInTheDocument();
    const mappings = within(
      card.getByRole('list', {
        name: 'Key mappings of payments/checkout-payment-gateway',
      }),
    );
    expect(
      mappings.getByText(
        'gateway-token ← aws-secrets-manager:checkout/payment-gateway.token',
      ),
    ).toBeInTheDocument();
    expect(
      mappings.getByText(
        'db-user ← infisical-archon-platform:/payments/DB_USER',
      ),
    ).toBeInTheDocument();
  });

  it('should show a failing ExternalSecret with the real reason of each failing key', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () =>
        statusResponse(syncedExternalSecret(), failingExternalSecret()),
      ),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    const card = within(
      await screen.findByRole('region', {
        name: 'ExternalSecret orders/orders-api-keys',
      }),
    );
    expect(card.getAllByText('Error')).toHaveLength(2);
    expect(
      card.getByText(
        'key PAYMENT_TOKEN: remote key /orders/payment-token not found',
      ),
    ).toBeInTheDocument();
    expect(
      card.getByText('PAYMENT_TOKEN ← infisical:/orders/payment-token'),
    ).toBeInTheDocument();
    expect(
      card.getByText(
        /Infisical returned 404 for \/orders\/payment-token in environment dev \(request id 4c1d\)/,
      ),
    ).toBeInTheDocument();
    expect(card.getByText('Unsupported')).toBeInTheDocument();
    expect(
      card.getByText(/provider vault, which is not installed/),
    ).toBeInTheDocument();
    expect(
      card.getByText('WEBHOOK_SECRET ← vault-local:webhook'),
    ).toBeInTheDocument();
    expect(card.getByText('2 hours ago')).toBeInTheDocument();
  });

  it('should show the last attempt of a failing ExternalSecret beside its last sync, and a key summary on top', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () =>
        statusResponse(syncedExternalSecret(), failingExternalSecret()),
      ),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    const failing = within(
      await screen.findByRole('region', {
        name: 'ExternalSecret orders/orders-api-keys',
      }),
    );
    expect(failing.getByText('Last attempt')).toBeInTheDocument();
    expect(failing.getByText('2 minutes ago')).toBeInTheDocument();
    expect(
      screen.getByRole('status', { name: 'Key summary' }),
    ).toHaveTextContent('2 ExternalSecrets, 5 keys, 2 failing');
  });

  it('should show when an observed ExternalSecret was last checked, apart from when ESO last synced it', async () => {
    // Observe mode: ESO syncs, the cycle looks at ESO's status every time;
    // "Last sync" is ESO's refreshTime, "Last checked" when we last looked.
    const observed = {
      ...syncedExternalSecret(),
      mode: 'observe' as const,
      lastSyncAt: minutesFromNow(-40),
      lastAttemptAt: minutesFromNow(-1),
    };
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () => statusResponse(observed)),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    const card = within(
      await screen.findByRole('region', {
        name: 'ExternalSecret orders/orders-db',
      }),
    );
    expect(card.getByText('Last checked')).toBeInTheDocument();
    expect(card.getByText('1 minute ago')).toBeInTheDocument();
    expect(card.getByText('40 minutes ago')).toBeInTheDocument();
  });

  it("should show the location as text when the Kubernetes plugin does not know the cluster (the demo's simulated one)", async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () =>
        statusResponse(syncedExternalSecret()),
      ),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
      kubernetesClusters: ['some-other-cluster'],
    });

    expect(await screen.findByText('dev-cluster/orders')).toBeInTheDocument();
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(
      screen.queryByRole('link', { name: /Kubernetes tab/ }),
    ).not.toBeInTheDocument();
  });

  it('should show the location as text when the entity has no Kubernetes tab', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () =>
        statusResponse({ ...syncedExternalSecret(), origin: 'manifest' }),
      ),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: manifestOnlyEntity,
      api,
    });

    expect(await screen.findByText('dev-cluster/orders')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /Kubernetes tab/ }),
    ).not.toBeInTheDocument();
  });

  it('should say the user lacks permission when the API answers 403', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () => {
        throw await responseError(403, 'Unauthorized', 'NotAllowedError');
      }),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    expect(
      await screen.findByText(
        "You do not have permission to view this entity's secret sync status",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('external-secrets.entity.read'),
    ).toBeInTheDocument();
  });

  it('should show an error panel with the server message on other failures', async () => {
    const api = mockExternalSecretsApi({
      getEntityStatus: jest.fn(async () => {
        throw await responseError(
          500,
          'status store unavailable: database is locked',
        );
      }),
    });

    await renderForEntity(<EntityExternalSecretsCard />, {
      entity: annotatedEntity,
      api,
    });

    expect(
      (await screen.findAllByText(/database is locked/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByText(/You do not have permission/),
    ).not.toBeInTheDocument();
  });
});
