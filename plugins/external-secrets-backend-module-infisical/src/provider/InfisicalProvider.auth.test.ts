import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH } from '../auth/kubernetesAuthIdentity';
import {
  createInfisicalHandlers,
  SIMULATOR_BASE_URL,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  CREDENTIALS_NS,
  errorText,
  infisicalStore,
  leakedCanaries,
  PROJECT,
  providerErrorOf,
  storeContext,
  universalAuthSecrets,
  type TestWorldOptions,
} from '../__testUtils__/testWorld';

const server = setupServer();
registerMswTestHooks(server);

const MINUTE = 60_000;

function setup(options: TestWorldOptions = {}) {
  const world = createTestWorld(options);
  server.use(...createInfisicalHandlers(world.simulator));
  const store = infisicalStore();
  const read = async (context = world.context) => {
    const client = await world.provider.newClient(store, context);
    try {
      return (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text();
    } finally {
      await client.close();
    }
  };
  const count = (route: Parameters<typeof world.simulator.requests>[0]) =>
    world.simulator.requests(route).length;
  return { ...world, store, read, count };
}

/** An identity whose tokens live `ttl` seconds and can be renewed until `maxTtl`. */
function withTokenLifetime(ttl: number, maxTtl: number) {
  const world = setup();
  world.simulator.addUniversalAuthIdentity({
    identityId: 'short-lived',
    clientId: 'short-client',
    clientSecret: 'short-secret-value',
    token: { accessTokenTTL: ttl, accessTokenMaxTTL: maxTtl },
  });
  world.simulator.grant('short-lived', PROJECT);
  const context = storeContext({
    logger: world.logger,
    secrets: universalAuthSecrets('short-client', 'short-secret-value'),
  });
  return { ...world, read: () => world.read(context) };
}

describe('InfisicalProvider authentication', () => {
  describe('Universal Auth', () => {
    it('should log in with the clientId and clientSecret read from the store Secret', async () => {
      const { read, count } = setup();
      expect(await read()).toBe(CANARY.value);
      expect(count('universalAuthLogin')).toBe(1);
    });

    it('should name the store and the unreadable Secret when credentials are missing', async () => {
      const { provider, store, logger } = setup();
      const error = await providerErrorOf(() =>
        provider.newClient(store, storeContext({ logger, secrets: {} })),
      );
      expect(error.errorType).toBe('INVALID_CONFIG');
      expect(error.message).toContain(
        `spec.provider.infisical.auth.universalAuthCredentials.clientId (Secret ${CREDENTIALS_NS}/infisical-universal-auth key clientId)`,
      );
    });

    function limitedIdentity(secretOptions: {
      clientSecretTtlSeconds?: number;
      clientSecretNumUsesLimit?: number;
    }) {
      const world = setup();
      world.simulator.addUniversalAuthIdentity({
        identityId: 'limited',
        clientId: 'limited-client',
        clientSecret: 'limited-secret',
        ...secretOptions,
      });
      world.simulator.grant('limited', PROJECT);
      const context = storeContext({
        logger: world.logger,
        secrets: universalAuthSecrets('limited-client', 'limited-secret'),
      });
      return { ...world, read: () => world.read(context) };
    }

    it('should report an expired client secret as CLIENT_SECRET_EXPIRED', async () => {
      const world = limitedIdentity({ clientSecretTtlSeconds: 60 });
      world.clock.advance(2 * MINUTE);
      const error = await providerErrorOf(world.read);
      expect(error.errorType).toBe('CLIENT_SECRET_EXPIRED');
      expect(error.details.httpStatus).toBe(401);
      expect(error.details.hint).toContain('Create a new client secret');
    });

    it('should report a client secret past its use limit as USE_LIMIT_REACHED', async () => {
      const world = limitedIdentity({ clientSecretNumUsesLimit: 1 });
      await world.read();
      world.simulator.revokeTokensOf('limited');
      const error = await providerErrorOf(world.read);
      expect(error.errorType).toBe('USE_LIMIT_REACHED');
      expect(error.message).toContain('client secret usage limit reached');
    });
  });

  describe('Kubernetes Auth', () => {
    const kubernetesStore = (tokenPath?: boolean) =>
      infisicalStore({
        auth: {
          kubernetesAuthCredentials: {
            identityId: {
              name: 'infisical-k8s-auth',
              key: 'identityId',
              namespace: CREDENTIALS_NS,
            },
            ...(tokenPath
              ? {
                  serviceAccountTokenPath: {
                    name: 'infisical-k8s-auth',
                    key: 'tokenPath',
                    namespace: CREDENTIALS_NS,
                  },
                }
              : {}),
          },
        },
      });

    function kubernetesWorld() {
      const readServiceAccountToken = jest.fn(
        async (_path: string) => `${CANARY.jwt}\n`,
      );
      const world = setup({
        // The custom path below lies outside the default token directory.
        provider: {
          readServiceAccountToken,
          serviceAccountTokenDirs: ['/var/run/secrets/tokens'],
        },
      });
      world.simulator.addKubernetesAuthIdentity({
        identityId: 'k8s-identity',
        serviceAccountJwts: [CANARY.jwt],
      });
      world.simulator.grant('k8s-identity', PROJECT);
      const context = storeContext({
        logger: world.logger,
        secrets: {
          [`${CREDENTIALS_NS}/infisical-k8s-auth/identityId`]: 'k8s-identity',
          [`${CREDENTIALS_NS}/infisical-k8s-auth/tokenPath`]:
            '/var/run/secrets/tokens/infisical',
        },
      });
      return { ...world, readServiceAccountToken, context };
    }

    it('should exchange the default service-account token for an access token', async () => {
      const { provider, context, simulator, readServiceAccountToken } =
        kubernetesWorld();
      const client = await provider.newClient(kubernetesStore(), context);

      expect(
        (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text(),
      ).toBe(CANARY.value);
      expect(readServiceAccountToken).toHaveBeenCalledWith(
        DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH,
      );
      expect(simulator.requests('kubernetesAuthLogin')).toHaveLength(1);
      expect(simulator.requests('listSecretsV4')[0].identityId).toBe(
        'k8s-identity',
      );
    });

    it('should read the token from serviceAccountTokenPath when the store names one', async () => {
      const { provider, context, readServiceAccountToken } = kubernetesWorld();
      await (
        await provider.newClient(kubernetesStore(true), context)
      ).getSecret({ key: 'MY_SECRET_NAME' });
      expect(readServiceAccountToken).toHaveBeenCalledWith(
        '/var/run/secrets/tokens/infisical',
      );
    });

    it('should report AUTH_FAILED when the TokenReview rejects the service account, without leaking the JWT', async () => {
      const { provider, context, readServiceAccountToken, lines } =
        kubernetesWorld();
      readServiceAccountToken.mockResolvedValue('some-other.jwt.value');
      const error = await providerErrorOf(async () =>
        (
          await provider.newClient(kubernetesStore(), context)
        ).getSecret({ key: 'MY_SECRET_NAME' }),
      );
      expect(error.errorType).toBe('AUTH_FAILED');
      expect(error.message).toContain(
        'MachineIdentityLoginViaKubernetesAuth answered HTTP 401',
      );
      expect(leakedCanaries([errorText(error), ...lines])).toEqual([]);
      expect(errorText(error)).not.toContain('some-other.jwt.value');
    });
  });

  describe('token lifetime', () => {
    it('should reuse the token while it is valid, then renew it shortly before expiry', async () => {
      const { read, count, clock } = withTokenLifetime(600, 86_400);
      await read();
      clock.advance(7 * MINUTE);
      await read();
      expect([count('universalAuthLogin'), count('renewToken')]).toEqual([
        1, 0,
      ]);

      clock.advance(1.5 * MINUTE); // 8.5 min: within 20% of the 10 min TTL
      await read();
      clock.advance(7 * MINUTE); // the renewed token is still valid
      await read();

      expect([count('universalAuthLogin'), count('renewToken')]).toEqual([
        1, 1,
      ]);
    });

    it('should keep using a still-valid token while Infisical fails to renew it', async () => {
      const { read, count, clock, simulator } = withTokenLifetime(600, 86_400);
      await read();
      simulator.injectFault({
        route: 'renewToken',
        status: 503,
        times: Infinity,
      });
      clock.advance(9 * MINUTE);

      expect(await read()).toBe(CANARY.value);
      expect(count('universalAuthLogin')).toBe(1);
      expect(simulator.requests('listSecretsV4').map(r => r.status)).toEqual([
        200, 304,
      ]);
    });

    it('should log in again when the cached token already expired', async () => {
      const { read, count, clock } = withTokenLifetime(600, 86_400);
      await read();
      clock.advance(11 * MINUTE);
      await read();
      expect([count('universalAuthLogin'), count('renewToken')]).toEqual([
        2, 0,
      ]);
    });

    it('should log in again instead of renewing near the max TTL, where Infisical would refuse and delete the token', async () => {
      const { read, count, clock } = withTokenLifetime(600, 900);
      await read();
      clock.advance(9 * MINUTE);
      expect(await read()).toBe(CANARY.value);
      expect([count('universalAuthLogin'), count('renewToken')]).toEqual([
        2, 0,
      ]);
    });

    it('should log in once for many concurrent reads of stores sharing an identity', async () => {
      const { provider, context, simulator } = setup();
      const stores = ['a', 'b', 'c'].map(name => infisicalStore({ name }));
      const clients = await Promise.all(
        stores.map(store => provider.newClient(store, context)),
      );
      await Promise.all(
        clients.flatMap(client => [
          client.getSecret({ key: 'MY_SECRET_NAME' }),
          client.getSecret({ key: 'MY_SECRET_NAME' }),
        ]),
      );
      expect(simulator.requests('universalAuthLogin')).toHaveLength(1);
      expect(simulator.requests('getProjectBySlug').length).toBeLessThanOrEqual(
        3,
      );
    });

    it('should log in again when the token reaches its use limit', async () => {
      const world = setup();
      world.simulator.addUniversalAuthIdentity({
        identityId: 'few-uses',
        clientId: 'few-client',
        clientSecret: 'few-secret-value',
        token: { accessTokenNumUsesLimit: 2 },
      });
      world.simulator.grant('few-uses', PROJECT);
      const context = storeContext({
        logger: world.logger,
        secrets: universalAuthSecrets('few-client', 'few-secret-value'),
      });
      await world.read(context);
      expect(await world.read(context)).toBe(CANARY.value);
      expect(world.count('universalAuthLogin')).toBe(2);
    });
  });

  describe('rejected tokens', () => {
    it('should log in again once on a 403 TokenError and then succeed', async () => {
      const { read, count, simulator, lines } = setup();
      await read();
      simulator.injectFault({
        route: 'listSecretsV4',
        status: 403,
        error: 'TokenError',
        message: 'Your token has expired. Please re-authenticate.',
      });
      simulator.setSecret({
        project: PROJECT,
        environment: 'prod',
        key: 'MY_SECRET_NAME',
        value: CANARY.otherValue,
      });

      expect(await read()).toBe(CANARY.otherValue);
      expect(count('universalAuthLogin')).toBe(2);
      expect(lines).toContainEqual(
        expect.stringContaining('rejected the access token'),
      );
    });

    it('should fail with TOKEN_EXPIRED after exactly one re-login when the fresh token is rejected too', async () => {
      const { read, count, simulator } = setup();
      simulator.injectFault({
        route: 'listSecretsV4',
        status: 403,
        error: 'TokenError',
        message: 'jwt malformed',
        times: Infinity,
      });

      const error = await providerErrorOf(read);

      expect(error.errorType).toBe('TOKEN_EXPIRED');
      expect(error.details).toEqual(
        expect.objectContaining({ httpStatus: 403, call: 'GetSecretsV4' }),
      );
      expect(count('universalAuthLogin')).toBe(2);
    });

    it('should log in again after the cached token was revoked (401)', async () => {
      const { read, count, simulator, identityId } = setup();
      await read();
      simulator.revokeTokensOf(identityId);
      expect(await read()).toBe(CANARY.value);
      expect(count('universalAuthLogin')).toBe(2);
    });

    it('should never log in again on a 403 PermissionDenied, and say which permission is missing', async () => {
      const world = setup();
      world.simulator.addUniversalAuthIdentity({
        identityId: 'dev-only',
        clientId: 'dev-client',
        clientSecret: 'dev-secret-value',
      });
      world.simulator.grant('dev-only', PROJECT, { environments: ['dev'] });
      const context = storeContext({
        logger: world.logger,
        secrets: universalAuthSecrets('dev-client', 'dev-secret-value'),
      });

      const error = await providerErrorOf(() => world.read(context));

      expect(error.errorType).toBe('PERMISSION_DENIED');
      expect(error.message).toContain('You are not allowed to read on secrets');
      expect(error.message).toContain(
        'allow read on secrets where {"environment":{"$in":["dev"]}}',
      );
      expect(error.details.requestId).toBeUndefined(); // the recorded server sends none
      expect(world.count('universalAuthLogin')).toBe(1);
    });
  });

  describe('failed logins', () => {
    const wrongSecret = (world: ReturnType<typeof setup>) =>
      storeContext({
        logger: world.logger,
        secrets: universalAuthSecrets(CANARY.clientId, 'wrong-secret-value'),
      });

    it('should back off after a failed login instead of retrying every cycle', async () => {
      const world = setup();
      const context = wrongSecret(world);
      const first = await providerErrorOf(() => world.read(context));
      const second = await providerErrorOf(() => world.read(context));

      expect(first.errorType).toBe('AUTH_FAILED');
      expect(first.message).toContain('Invalid credentials');
      expect(second.errorType).toBe('AUTH_FAILED');
      expect(second.message).toContain(
        'the next attempt is not before 2026-11-23T12:00:35.000Z',
      );
      expect(world.count('universalAuthLogin')).toBe(1);
    });

    it('should never trigger the Infisical lockout, however often the reconciler asks', async () => {
      const world = setup();
      const context = wrongSecret(world);
      for (let second = 0; second < 15 * 60; second += 5) {
        await world.read(context).catch(() => undefined);
        world.clock.advance(5000);
      }
      const attempts = world.simulator
        .requests('universalAuthLogin')
        .map(r => r.at);

      expect(world.simulator.isLockedOut(CANARY.clientId)).toBe(false);
      expect(attempts.length).toBeGreaterThan(3);
      attempts
        .slice(1)
        .forEach((at, i) => expect(at - attempts[i]).toBeGreaterThan(30_000));
    });

    it('should log in at once with corrected credentials', async () => {
      const world = setup();
      await world.read(wrongSecret(world)).catch(() => undefined);
      expect(await world.read()).toBe(CANARY.value);
      expect(world.count('universalAuthLogin')).toBe(2);
    });

    it('should wait out a lockout reported by Infisical before trying again', async () => {
      const world = setup();
      for (let i = 0; i < 3; i++) {
        await world.simulator.handle({
          method: 'POST',
          url: `${SIMULATOR_BASE_URL}/api/v1/auth/universal-auth/login`,
          headers: {},
          body: {
            clientId: CANARY.clientId,
            clientSecret: 'someone-else-guessing',
          },
        });
      }
      world.simulator.clearRequests();

      const locked = await providerErrorOf(world.read);
      world.clock.advance(2 * MINUTE);
      await providerErrorOf(world.read);
      world.clock.advance(3.5 * MINUTE);
      const value = await world.read();

      expect(locked.errorType).toBe('AUTH_FAILED');
      expect(locked.details.hint).toContain('locked this identity out');
      expect(world.count('universalAuthLogin')).toBe(2);
      expect(value).toBe(CANARY.value);
    });

    it('should report a 422 validation answer with its issues', async () => {
      const { read, simulator } = setup();
      simulator.injectFault({
        route: 'universalAuthLogin',
        status: 422,
        error: 'ValidationFailure',
        message: [
          { code: 'invalid_type', path: ['clientSecret'], message: 'Required' },
        ],
      });
      const error = await providerErrorOf(read);
      expect(error.errorType).toBe('INVALID_REQUEST');
      expect(error.message).toContain('clientSecret: Required');
    });
  });

  describe('shutdown', () => {
    it('should revoke every cached token once', async () => {
      const { provider, read, simulator, identityId } = setup();
      await read();
      expect(simulator.activeTokenIds(identityId)).toHaveLength(1);

      await Promise.all([provider.shutdown(), provider.shutdown()]);

      expect(simulator.requests('revokeToken').map(r => r.status)).toEqual([
        200,
      ]);
      expect(simulator.activeTokenIds(identityId)).toEqual([]);
    });
  });
});
