import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { kubernetesApiRef } from '@backstage/plugin-kubernetes-react';
import { type SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  type TestApiProviderProps,
  renderInTestApp,
} from '@backstage/test-utils';
import type { ReactElement } from 'react';
import {
  type ExternalSecretsApi,
  externalSecretsApiRef,
} from '../api/ExternalSecretsApi';

/** An API whose every call fails loudly unless the test provides it. */
export function mockExternalSecretsApi(
  overrides: Partial<ExternalSecretsApi> = {},
): jest.Mocked<ExternalSecretsApi> {
  const notMocked = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`${name} was not mocked`)));
  return {
    getEntityStatus: notMocked('getEntityStatus'),
    getEntityEvents: notMocked('getEntityEvents'),
    syncEntity: notMocked('syncEntity'),
    getStores: notMocked('getStores'),
    listStoreKeys: notMocked('listStoreKeys'),
    getOverview: notMocked('getOverview'),
    getHealth: notMocked('getHealth'),
    restartConsumer: notMocked('restartConsumer'),
    ...overrides,
  } as jest.Mocked<ExternalSecretsApi>;
}

/** A real `ResponseError`, as the client throws it for a non-2xx answer. */
export function responseError(
  status: number,
  message: string,
  name = 'Error',
  headers: Record<string, string> = {},
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/external-secrets' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: `Status ${status}`,
        headers: { 'Content-Type': 'application/json', ...headers },
      },
    ),
  );
}

/** Renders inside a test app, an entity page context and the given API. */
export function renderForEntity(
  element: ReactElement,
  options: {
    entity: Entity;
    api: ExternalSecretsApi;
    signals?: SignalApi;
    /** Clusters the Kubernetes plugin knows (its API is absent when unset). */
    kubernetesClusters?: string[];
  },
) {
  const apis: TestApiProviderProps<any>['apis'] = [
    [externalSecretsApiRef, options.api],
    ...(options.signals ? ([[signalApiRef, options.signals]] as const) : []),
    ...(options.kubernetesClusters
      ? ([
          [
            kubernetesApiRef,
            {
              getClusters: async () =>
                options.kubernetesClusters!.map(name => ({ name })),
            },
          ],
        ] as const)
      : []),
  ];
  return renderInTestApp(
    <TestApiProvider apis={apis}>
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The text of every code block (CodeSnippet splits code into highlighted spans). */
export function codeBlockTexts(container: ParentNode = document): string[] {
  return Array.from(container.querySelectorAll('code')).map(
    code => code.textContent ?? '',
  );
}

/** A signals API whose subscribers a test can send messages to. */
export function mockSignalApi() {
  const listeners = new Map<string, Set<(message: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set();
      set.add(onMessage);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage) };
    },
  };
  return {
    api,
    send(channel: string, message: object) {
      listeners.get(channel)?.forEach(listener => listener(message));
    },
    channels: () => [...listeners.keys()],
  };
}
