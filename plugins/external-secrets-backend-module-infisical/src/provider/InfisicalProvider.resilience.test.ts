import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createNoopMeter, type Attributes } from '@opentelemetry/api';
import { setupServer } from 'msw/node';
import { PROVIDER_API_CALLS_METRIC } from '../metrics/ProviderApiMetrics';
import { createInfisicalHandlers } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  infisicalStore,
  providerErrorOf,
  type TestWorldOptions,
} from '../__testUtils__/testWorld';

const server = setupServer();
registerMswTestHooks(server);

function setup(provider: TestWorldOptions['provider'] = {}) {
  const world = createTestWorld({ provider });
  server.use(...createInfisicalHandlers(world.simulator));
  const read = async () =>
    (
      await (
        await world.provider.newClient(infisicalStore(), world.context)
      ).getSecret({ key: 'MY_SECRET_NAME' })
    ).value.text();
  const statuses = () =>
    world.simulator.requests('listSecretsV4').map(r => r.status);
  return { ...world, read, statuses };
}

describe('InfisicalProvider resilience', () => {
  it('should honour Retry-After on a 429 and then succeed', async () => {
    const { read, simulator, sleeps, statuses } = setup();
    simulator.injectFault({
      route: 'listSecretsV4',
      status: 429,
      headers: { 'retry-after': '7' },
      message: 'Rate limit exceeded',
    });

    expect(await read()).toBe(CANARY.value);
    expect(sleeps).toEqual([7000]);
    expect(statuses()).toEqual([429, 200]);
  });

  it('should back off on a 429 without Retry-After', async () => {
    const { read, simulator, sleeps } = setup();
    simulator.injectFault({ route: 'listSecretsV4', status: 429, times: 2 });
    await read();
    expect(sleeps).toEqual([375, 750]);
  });

  it('should fail at once with RATE_LIMITED when Retry-After exceeds the cap', async () => {
    const { read, simulator, sleeps, statuses } = setup();
    simulator.injectFault({
      route: 'listSecretsV4',
      status: 429,
      headers: { 'retry-after': '600' },
    });

    const error = await providerErrorOf(read);

    expect(error.errorType).toBe('RATE_LIMITED');
    expect(error.isTransient).toBe(true);
    expect(error.details.retryAfterSeconds).toBe(600);
    expect(sleeps).toEqual([]);
    expect(statuses()).toEqual([429]);
  });

  it('should retry 5xx answers with capped exponential backoff and jitter, then succeed', async () => {
    const { read, simulator, sleeps, statuses } = setup({ random: () => 1 });
    simulator.injectFault({ route: 'listSecretsV4', status: 503, times: 2 });

    expect(await read()).toBe(CANARY.value);
    expect(sleeps).toEqual([500, 1000]);
    expect(statuses()).toEqual([503, 503, 200]);
  });

  it('should report UNAVAILABLE with the status and request id once the retries are spent', async () => {
    const { read, simulator, statuses } = setup({ retry: { maxRetries: 2 } });
    simulator.injectFault({
      route: 'listSecretsV4',
      status: 502,
      times: Infinity,
      message: 'Bad gateway',
    });

    const error = await providerErrorOf(read);

    expect(error.errorType).toBe('UNAVAILABLE');
    expect(error.details).toEqual(
      expect.objectContaining({
        httpStatus: 502,
        call: 'GetSecretsV4',
        key: 'MY_SECRET_NAME',
        path: '/',
      }),
    );
    expect(error.details.requestId).toBeUndefined(); // the recorded server sends none
    expect(error.message).toContain('GetSecretsV4 answered HTTP 502');
    expect(statuses()).toEqual([502, 502, 502]);
  });

  it('should retry a dropped connection', async () => {
    const { read, simulator, statuses } = setup();
    simulator.injectFault({ route: 'listSecretsV4', networkError: true });
    expect(await read()).toBe(CANARY.value);
    expect(statuses()).toEqual(['network-error', 200]);
  });

  it('should time out a request that takes too long', async () => {
    const { read, simulator } = setup({
      requestTimeoutMs: 30,
      retry: { maxRetries: 1 },
    });
    simulator.injectFault({
      route: 'listSecretsV4',
      latencyMs: 150,
      times: Infinity,
    });

    const error = await providerErrorOf(read);

    expect(error.errorType).toBe('TIMEOUT');
    expect(error.message).toContain('no answer within the request timeout');
    expect(simulator.requests('listSecretsV4')).toHaveLength(2);
  });

  it("should report an answer that is not Infisical's shape as a configuration error", async () => {
    const { read, simulator } = setup();
    simulator.injectFault({
      route: 'listSecretsV4',
      status: 200,
      body: { hello: 'a proxy page' },
    });

    const error = await providerErrorOf(read);

    expect(error.errorType).toBe('INVALID_CONFIG');
    expect(error.message).toContain(
      'the answer to GetSecretsV4 has no secrets array; check that hostAPI points at the Infisical API',
    );
  });

  it("should count every attempt by call and status, under ESO's metric name", async () => {
    const samples: { name: string; value: number; attributes?: Attributes }[] =
      [];
    const meter = createNoopMeter();
    meter.createUpDownCounter = name => ({
      add: (value, attributes) => samples.push({ name, value, attributes }),
    });
    const { read, simulator, provider } = setup({ meter });
    simulator.injectFault({ route: 'listSecretsV4', status: 503 });

    await read();

    expect(samples).toEqual([
      {
        name: PROVIDER_API_CALLS_METRIC,
        value: 1,
        attributes: {
          provider: 'infisical',
          call: 'MachineIdentityLoginViaUniversalAuth',
          status: 'success',
        },
      },
      {
        name: PROVIDER_API_CALLS_METRIC,
        value: 1,
        attributes: {
          provider: 'infisical',
          call: 'GetWorkspaceBySlug',
          status: 'success',
        },
      },
      {
        name: PROVIDER_API_CALLS_METRIC,
        value: 1,
        attributes: {
          provider: 'infisical',
          call: 'GetSecretsV4',
          status: 'error',
        },
      },
      {
        name: PROVIDER_API_CALLS_METRIC,
        value: 1,
        attributes: {
          provider: 'infisical',
          call: 'GetSecretsV4',
          status: 'success',
        },
      },
    ]);
    expect(provider.apiCallCounts()).toEqual([
      { call: 'GetSecretsV4', status: 'error', count: 1 },
      { call: 'GetSecretsV4', status: 'success', count: 1 },
      { call: 'GetWorkspaceBySlug', status: 'success', count: 1 },
      {
        call: 'MachineIdentityLoginViaUniversalAuth',
        status: 'success',
        count: 1,
      },
    ]);
  });
});
