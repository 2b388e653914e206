import { usePermission } from '@backstage/plugin-permission-react';
import {
  externalSecretsEntityRestartPermission,
  type ExternalSecretStatusDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { annotatedEntity } from '../../__fixtures__/entities';
import { syncedExternalSecret } from '../../__fixtures__/status';
import {
  mockExternalSecretsApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/renderForEntity';
import { SecretConsumersSummary } from './SecretConsumersSummary';
import { SecretConsumersTable } from './SecretConsumersTable';

jest.mock('@backstage/plugin-permission-react', () => ({
  ...jest.requireActual('@backstage/plugin-permission-react'),
  usePermission: jest.fn(),
}));
// The material-table renders slowly on a loaded machine (2 cores, many suites).
jest.setTimeout(30_000);

const mockUsePermission = usePermission as jest.MockedFunction<
  typeof usePermission
>;

// Today at 14:02 local time: the card names a change of today by its time only.
const TODAY = new Date();
const CHANGED = new Date(
  TODAY.getFullYear(),
  TODAY.getMonth(),
  TODAY.getDate(),
  14,
  2,
).toISOString();

function withConsumers(mode: 'observe' | 'restart'): ExternalSecretStatusDto {
  return {
    ...syncedExternalSecret(),
    dataChangedAt: CHANGED,
    rollout: {
      mode,
      consumers: [
        {
          kind: 'Deployment',
          name: 'orders-api',
          reads: ['env'],
          containers: ['app'],
          updates: 'restart',
          verdict: 'restart-needed',
          pods: 3,
          stalePods: 3,
          paused: false,
        },
        {
          kind: 'Deployment',
          name: 'orders-worker',
          reads: ['envFrom'],
          containers: ['worker'],
          updates: 'restart',
          verdict: 'current',
          pods: 2,
          stalePods: 0,
          paused: false,
          restartOn: 'reloader.stakater.com/auto',
          lastRestart: { at: CHANGED, by: 'on-change' },
        },
        {
          kind: 'StatefulSet',
          name: 'orders-cache',
          reads: ['volume'],
          containers: ['cache'],
          updates: 'in-place',
          verdict: 'updates-in-place',
          pods: 1,
          stalePods: 1,
          paused: false,
        },
      ],
    },
  };
}

describe('SecretConsumersSummary (card)', () => {
  it('lists each workload reading the Secret with its verdict', async () => {
    await renderForEntity(
      <SecretConsumersSummary externalSecret={withConsumers('observe')} />,
      { entity: annotatedEntity, api: mockExternalSecretsApi() },
    );
    const section = screen.getByRole('region', {
      name: 'Workloads reading orders-db-credentials',
    });
    expect(section).toHaveTextContent(
      'Deployment orders-api: restart needed: 3 of 3 pods run the value from before 14:02',
    );
    expect(section).toHaveTextContent(
      'Deployment orders-worker: current: all 2 pods run the current value',
    );
    expect(section).toHaveTextContent(
      'StatefulSet orders-cache: updates in place',
    );
  });

  it('shows nothing where rollout is off', async () => {
    await renderForEntity(
      <SecretConsumersSummary externalSecret={syncedExternalSecret()} />,
      { entity: annotatedEntity, api: mockExternalSecretsApi() },
    );
    expect(screen.queryByText(/Workloads reading/)).not.toBeInTheDocument();
  });
});

describe('SecretConsumersTable (tab)', () => {
  afterEach(() => jest.resetAllMocks());

  const restartButtons = () =>
    screen.queryAllByRole('button', { name: /^Restart now/ });

  it('offers Restart now only for the stale workload, to a permitted user, and reloads after it', async () => {
    mockUsePermission.mockReturnValue({ loading: false, allowed: true });
    const api = mockExternalSecretsApi({
      restartConsumer: jest.fn(async () => ({
        cluster: 'dev-cluster',
        namespace: 'orders',
        workloadKind: 'Deployment',
        workload: 'orders-api',
        restartedAt: CHANGED,
      })),
    });
    const onRestarted = jest.fn();
    await renderForEntity(
      <SecretConsumersTable
        entity={annotatedEntity}
        externalSecrets={[withConsumers('restart')]}
        onRestarted={onRestarted}
      />,
      { entity: annotatedEntity, api },
    );
    expect(restartButtons()).toHaveLength(1);
    expect(mockUsePermission).toHaveBeenCalledWith({
      permission: externalSecretsEntityRestartPermission,
      resourceRef: 'component:default/orders-service',
    });
    const row = screen.getByText('Deployment orders-api').closest('tr')!;
    expect(row).toHaveTextContent('restart needed: 3 of 3 pods');
    await userEvent.setup().click(within(row).getByRole('button'));
    expect(api.restartConsumer).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'orders-service' },
      {
        cluster: 'dev-cluster',
        namespace: 'orders',
        name: 'orders-db',
        workloadKind: 'Deployment',
        workload: 'orders-api',
      },
    );
    expect(onRestarted).toHaveBeenCalled();
    expect(await screen.findByText('Restart requested')).toBeInTheDocument();
  });

  it('links each workload to the Kubernetes tab when the Kubernetes plugin knows the cluster, and shows the last restart', async () => {
    mockUsePermission.mockReturnValue({ loading: false, allowed: true });
    await renderForEntity(
      <SecretConsumersTable
        entity={annotatedEntity}
        externalSecrets={[withConsumers('restart')]}
      />,
      {
        entity: annotatedEntity,
        api: mockExternalSecretsApi(),
        kubernetesClusters: ['dev-cluster'],
      },
    );
    expect(
      await screen.findByRole('link', { name: /Deployment orders-worker/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service/kubernetes',
    );
    expect(screen.getByText(/\(on change\)/)).toBeInTheDocument();
  });

  it.each([
    ['the Kubernetes plugin is not installed', undefined],
    ['the Kubernetes plugin does not know the cluster', ['other-cluster']],
  ])(
    'names each workload without a link when %s (no broken link)',
    async (_, kubernetesClusters) => {
      mockUsePermission.mockReturnValue({ loading: false, allowed: true });
      await renderForEntity(
        <SecretConsumersTable
          entity={annotatedEntity}
          externalSecrets={[withConsumers('restart')]}
        />,
        {
          entity: annotatedEntity,
          api: mockExternalSecretsApi(),
          kubernetesClusters,
        },
      );
      expect(screen.getByText('Deployment orders-worker')).toBeInTheDocument();
      expect(
        screen.queryByRole('link', { name: /Deployment orders-worker/ }),
      ).not.toBeInTheDocument();
    },
  );

  it('no button without the permission, nor in an observe-only cluster', async () => {
    mockUsePermission.mockReturnValue({ loading: false, allowed: false });
    const { unmount } = await renderForEntity(
      <SecretConsumersTable
        entity={annotatedEntity}
        externalSecrets={[withConsumers('restart')]}
      />,
      { entity: annotatedEntity, api: mockExternalSecretsApi() },
    );
    expect(restartButtons()).toEqual([]);
    unmount();
    mockUsePermission.mockReturnValue({ loading: false, allowed: true });
    await renderForEntity(
      <SecretConsumersTable
        entity={annotatedEntity}
        externalSecrets={[withConsumers('observe')]}
      />,
      { entity: annotatedEntity, api: mockExternalSecretsApi() },
    );
    expect(restartButtons()).toEqual([]);
  });

  it('no button for an OnDelete StatefulSet: the row says to delete its pods', async () => {
    mockUsePermission.mockReturnValue({ loading: false, allowed: true });
    const es = withConsumers('restart');
    es.rollout!.consumers = [
      {
        kind: 'StatefulSet',
        name: 'orders-db',
        reads: ['env'],
        containers: ['db'],
        updates: 'restart',
        verdict: 'restart-needed',
        pods: 2,
        stalePods: 2,
        paused: false,
        updateStrategy: 'OnDelete',
        lastRestart: { at: CHANGED, by: 'on-change' },
      },
    ];
    await renderForEntity(
      <SecretConsumersTable entity={annotatedEntity} externalSecrets={[es]} />,
      { entity: annotatedEntity, api: mockExternalSecretsApi() },
    );
    const row = screen.getByText('StatefulSet orders-db').closest('tr')!;
    expect(row).toHaveTextContent(
      'restart needed: delete the pods (OnDelete update strategy): 2 of 2 pods',
    );
    expect(restartButtons()).toEqual([]);
  });

  it('says why a restart was refused (rate limit)', async () => {
    mockUsePermission.mockReturnValue({ loading: false, allowed: true });
    const api = mockExternalSecretsApi({
      restartConsumer: jest.fn(async () => {
        throw await responseError(
          429,
          'restart-now of Deployment orders/orders-api is limited to 2 per 10 minutes; try again later',
        );
      }),
    });
    await renderForEntity(
      <SecretConsumersTable
        entity={annotatedEntity}
        externalSecrets={[withConsumers('restart')]}
      />,
      { entity: annotatedEntity, api },
    );
    await userEvent.setup().click(restartButtons()[0]);
    expect(
      await screen.findByText(/limited to 2 per 10 minutes/),
    ).toBeInTheDocument();
  });
});
