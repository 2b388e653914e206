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
  /** "Did you mean" names the check answers for an unreadable key. */
  suggestions?: Record<string, string[]>;
  /** Status and message answered instead of data, per path kind (`keysError` also for the check). */
  storesError?: { status: number; message: string };
  keysError?: { status: number; message: string };
};

/**
 * An msw double of the external-secrets backend (`GET /stores`, the keys
 * endpoint and the keys check, which calls a key readable when `keys` lists
 * it) and the API client under test, with every request recorded.
 */
export function setupBackend(initial: () => BackendState) {
  const server = setupServer();
  registerMswTestHooks(server);
  const requests: {
    path: string;
    authorization: string | null;
    body?: unknown;
  }[] = [];
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
      http.post(
        `${BASE_URL}/stores/:cluster/:kind/:namespace/:name/keys/check`,
        async ({ request }) => {
          const body = (await request.json()) as { keys: string[] };
          requests.push({
            path: new URL(request.url).pathname,
            authorization: request.headers.get('authorization'),
            body,
          });
          return answer(state.keysError, () => ({
            store: state.keys.store,
            results: body.keys.map(key =>
              state.keys.keys.includes(key)
                ? { key, readable: true, suggestions: [] }
                : {
                    key,
                    readable: false,
                    message: `KEY_NOT_FOUND: key "${key}" does not exist`,
                    suggestions: state.suggestions?.[key] ?? [],
                  },
            ),
          }));
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
