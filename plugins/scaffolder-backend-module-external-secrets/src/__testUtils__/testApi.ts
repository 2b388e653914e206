import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  StoreKeysResponse,
  StoreStatusDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ExternalSecretsApi } from '../api/ExternalSecretsApi';

export const BASE_URL = 'http://localhost:0/api/external-secrets';

export type BackendState = {
  stores: StoreStatusDto[];
  keys: StoreKeysResponse;
  /** Status and message answered instead of data, per path kind. */
  storesError?: { status: number; message: string };
  keysError?: { status: number; message: string };
};

/**
 * An msw double of the external-secrets backend (`GET /stores` and the keys
 * endpoint) and the API client under test, with every request recorded.
 */
export function setupBackend(initial: () => BackendState) {
  const server = setupServer();
  registerMswTestHooks(server);
  const requests: { path: string; authorization: string | null }[] = [];
  let state = initial();

  const answer = (error: BackendState['storesError'], body: () => object) =>
    error
      ? HttpResponse.json(
          { error: { name: 'Error', message: error.message } },
          { status: error.status },
        )
      : HttpResponse.json(body());

  beforeEach(() => {
    state = initial();
    requests.length = 0;
    server.use(
      http.get(`${BASE_URL}/stores`, ({ request }) => {
        requests.push({
          path: new URL(request.url).pathname,
          authorization: request.headers.get('authorization'),
        });
        return answer(state.storesError, () => ({ stores: state.stores }));
      }),
      http.get(
        `${BASE_URL}/stores/:cluster/:kind/:namespace/:name/keys`,
        ({ request }) => {
          requests.push({
            path: new URL(request.url).pathname,
            authorization: request.headers.get('authorization'),
          });
          return answer(state.keysError, () => state.keys);
        },
      ),
    );
  });

  const api = new ExternalSecretsApi({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
  });
  return {
    api,
    requests,
    state: () => state,
    update: (patch: Partial<BackendState>) => {
      state = { ...state, ...patch };
    },
  };
}

/** A logger that keeps every line with its metadata, for leak checks. */
export function capturingLogger(): { logger: LoggerService; lines: string[] } {
  const lines: string[] = [];
  const make = (meta: object): LoggerService => {
    const log = (level: string) => (message: string, extra?: unknown) => {
      lines.push(
        `${level} ${message} ${JSON.stringify({
          ...meta,
          ...(extra as object),
        })}`,
      );
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: childMeta => make({ ...meta, ...childMeta }),
    };
  };
  return { logger: make({}), lines };
}
