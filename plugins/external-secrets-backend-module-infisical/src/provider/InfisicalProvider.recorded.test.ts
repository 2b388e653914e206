/**
 * The client read against the answers a real Infisical was recorded giving
 * (docs/infisical-recorded.md, "Client behaviour seen"): issue #21
 * items 1-4.
 */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { createInfisicalHandlers } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import type { SimulatorOptions } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  infisicalStore,
  PROJECT,
  providerErrorOf,
  storeContext,
  universalAuthSecrets,
  type StoreOptions,
} from '../__testUtils__/testWorld';

const server = setupServer();
registerMswTestHooks(server);

function setup(simulator: SimulatorOptions = {}) {
  const world = createTestWorld({ simulator });
  server.use(...createInfisicalHandlers(world.simulator));
  const read = async (scope: StoreOptions['scope'] = {}) =>
    (
      await world.provider.newClient(infisicalStore({ scope }), world.context)
    ).getSecret({ key: 'MY_SECRET_NAME' });
  const validate = (scope: StoreOptions['scope'] = {}) =>
    world.provider.validateStore(infisicalStore({ scope }), world.context);
  const routes = () =>
    world.simulator.requests().map(r => `${r.route}:${r.status}`);
  return { ...world, read, validate, routes };
}

describe('InfisicalProvider against the recorded server answers', () => {
  describe('1. project lookup', () => {
    it('should find the project on a 2024-10 build through /api/v2/workspace/:slug and remember the route per host', async () => {
      const world = setup({ profile: '2024-10', v4: true });
      await world.read();
      const otherId = world.simulator.addUniversalAuthIdentity({
        identityId: 'other',
        clientId: 'other-client-id',
        clientSecret: 'other-client-secret',
      });
      world.simulator.grant(otherId, PROJECT);
      world.simulator.clearRequests();
      const otherContext = storeContext({
        logger: world.logger,
        secrets: universalAuthSecrets(
          'other-client-id',
          'other-client-secret',
          'other-creds',
        ),
      });
      const other = infisicalStore({
        name: 'other',
        auth: {
          universalAuthCredentials: {
            clientId: {
              name: 'other-creds',
              key: 'clientId',
              namespace: 'external-secrets',
            },
            clientSecret: {
              name: 'other-creds',
              key: 'clientSecret',
              namespace: 'external-secrets',
            },
          },
        },
      });
      const value = await (
        await world.provider.newClient(other, otherContext)
      ).getSecret({ key: 'MY_SECRET_NAME' });

      expect(value.value.text()).toBe(CANARY.value);
      // The second identity's lookup goes straight to the route this host answered on.
      expect(world.routes()).toEqual([
        'universalAuthLogin:200',
        'getWorkspaceV2:200',
        'listSecretsV4:200',
      ]);
    });

    it('should read through v3 by workspaceSlug when no lookup route exists, and not blame a missing /api/v4/secrets route', async () => {
      const world = setup({
        profile: '2024-10',
        v4: true,
        workspaceV2Route: false,
      });
      const secret = await world.read();

      expect(secret.value.text()).toBe(CANARY.value);
      expect(world.routes()).toEqual([
        'universalAuthLogin:200',
        'unknown:404',
        'unknown:404',
        'unknown:404',
        'listSecretsV3:200',
      ]);
      expect(
        world.simulator.requests('listSecretsV3')[0].query.workspaceSlug,
      ).toBe(PROJECT);
      const log = world.lines.join('\n');
      expect(log).toContain('serves none of the project lookup routes');
      expect(log).not.toContain('has no /api/v4/secrets route');
    });

    it('should say "has no /api/v4/secrets route" only when the v4 list itself is missing (the recorded build)', async () => {
      const world = setup({ profile: '2024-10' });
      await world.read();
      expect(world.lines.join('\n')).toContain('has no /api/v4/secrets route');
      expect(world.routes()).toEqual([
        'universalAuthLogin:200',
        'unknown:404',
        'getWorkspaceV2:200',
        'unknown:404',
        'listSecretsV3:200',
      ]);
    });
  });

  describe('2. errors that will not heal', () => {
    it.each([
      ['2024-10', 'GetWorkspaceBySlug'],
      ['2024-10 without a lookup route', 'GetSecretsV3'],
    ] as const)(
      'should report an unknown project slug (%s) as a configuration error and not ask again until the next validation',
      async (_case, call) => {
        const world = setup({
          profile: '2024-10',
          ...(call === 'GetSecretsV3' && { workspaceV2Route: false }),
        });
        const scope = { projectSlug: 'no-such-project' };
        const first = await providerErrorOf(() => world.read(scope));
        const countAfterFirst = world.simulator.requests().length;

        const second = await providerErrorOf(() => world.read(scope));
        const countAfterSecond = world.simulator.requests().length;
        const failedBeforeValidation = world.simulator
          .requests()
          .filter(r => r.status === 500).length;
        const validation = await world.validate(scope);

        expect(first.errorType).toBe('INVALID_CONFIG');
        expect(first.isTransient).toBe(false);
        expect(first.message).toContain(
          'Infisical has no project with slug "no-such-project"',
        );
        expect(first.message).toContain(`${call} answered HTTP 500`);
        expect(first.message).not.toContain('unreachable');
        // One 500, not retried, and not asked again by the next cycle.
        expect(failedBeforeValidation).toBe(1);
        expect(second.message).toBe(first.message);
        expect(countAfterSecond).toBe(countAfterFirst);
        expect(validation.ready).toBe(false);
        expect(validation.message).toContain('no-such-project');
        expect(
          world.simulator.requests().filter(r => r.status === 500),
        ).toHaveLength(2);
      },
    );

    it('should report an unknown clientId (404 at login) as an authentication failure', async () => {
      const world = setup();
      const context = storeContext({
        logger: world.logger,
        secrets: universalAuthSecrets('no-such-client', CANARY.clientSecret),
      });
      const error = await providerErrorOf(async () =>
        (
          await world.provider.newClient(infisicalStore(), context)
        ).getSecret({ key: 'MY_SECRET_NAME' }),
      );
      expect(error.errorType).toBe('AUTH_FAILED');
      expect(error.message).toContain(
        'No identity with specified client ID was found',
      );
    });
  });

  describe.each(['current', '2024-10'] as const)(
    '3. store validation proves the scope exists (%s)',
    profile => {
      it('should be NotReady naming an environment that does not exist', async () => {
        const world = setup({ profile });
        const result = await world.validate({ environmentSlug: 'qa' });
        expect(result).toEqual({
          ready: false,
          reason: 'InvalidProviderConfig',
          message: expect.stringContaining(
            `environment "qa" does not exist in project ${PROJECT}`,
          ),
        });
      });

      it('should be NotReady naming a folder that does not exist', async () => {
        const world = setup({ profile });
        const result = await world.validate({ secretsPath: '/does/not/exist' });
        expect(result.ready).toBe(false);
        expect(result.message).toContain(
          `folder "/does/not/exist" does not exist in project ${PROJECT}, environment prod`,
        );
      });

      it('should stay Ready for an existing folder that is empty', async () => {
        const world = setup({ profile });
        world.simulator.addFolder({
          project: PROJECT,
          environment: 'prod',
          path: '/empty',
        });
        const result = await world.validate({ secretsPath: '/empty' });
        expect(result).toEqual(
          expect.objectContaining({ ready: true, reason: 'Valid' }),
        );
        expect(result.message).toContain('0 secret(s) visible');
      });
    },
  );

  describe('4. request ids', () => {
    it('should take the request id from the response headers when the server sends one', async () => {
      const world = setup();
      world.simulator.injectFault({
        route: 'listSecretsV4',
        status: 403,
        error: 'PermissionDenied',
        message: 'You are not allowed to read on secrets',
        headers: { 'x-request-id': 'req-from-header-7' },
      });
      const error = await providerErrorOf(() => world.read());
      expect(error.details.requestId).toBe('req-from-header-7');
      expect(error.message).toContain('request id req-from-header-7');
    });

    it('should not promise a request id the recorded server never sends', async () => {
      const world = setup();
      world.simulator.injectFault({
        route: 'listSecretsV4',
        status: 403,
        error: 'PermissionDenied',
        message: 'You are not allowed to read on secrets',
      });
      const error = await providerErrorOf(() => world.read());
      expect(error.details.requestId).toBeUndefined();
      expect(error.message).not.toMatch(/reqId|request id/i);
    });
  });
});
