import { http, HttpResponse, type HttpHandler } from 'msw';
import type { InfisicalSimulator } from './InfisicalSimulator';
import type { SimulatorRequest } from './types';

/** The base URL the msw handlers answer on unless told otherwise. @public */
export const SIMULATOR_BASE_URL = 'https://infisical.test';

/**
 * msw handlers that serve `simulator` at `${baseUrl}/api/*`. Point a store's
 * `hostAPI` at `baseUrl` (with or without `/api`).
 *
 * @public
 */
export function createInfisicalHandlers(
  simulator: InfisicalSimulator,
  options: { baseUrl?: string } = {},
): HttpHandler[] {
  const baseUrl = (options.baseUrl ?? SIMULATOR_BASE_URL).replace(/\/+$/, '');
  return [
    http.all(`${baseUrl}/api/*`, async ({ request }) => {
      const response = await simulator.handle(
        await toSimulatorRequest(request),
      );
      if ('networkError' in response) return HttpResponse.error();
      const body =
        response.body === undefined ? null : JSON.stringify(response.body);
      return new HttpResponse(body, {
        status: response.status,
        headers: response.headers,
      });
    }),
  ];
}

async function toSimulatorRequest(request: Request): Promise<SimulatorRequest> {
  const text = request.method === 'GET' ? '' : await request.text();
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(
      [...request.headers].map(([name, value]) => [name.toLowerCase(), value]),
    ),
    body: text ? safeJson(text) : undefined,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
