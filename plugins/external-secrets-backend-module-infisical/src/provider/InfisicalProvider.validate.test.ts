import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { createInfisicalHandlers } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  createTestWorld,
  infisicalStore,
  leakedCanaries,
  PROJECT,
  storeContext,
  universalAuthSecrets,
} from '../__testUtils__/testWorld';

const server = setupServer();
registerMswTestHooks(server);

function setup() {
  const world = createTestWorld();
  server.use(...createInfisicalHandlers(world.simulator));
  return world;
}

describe('InfisicalProvider.validateStore', () => {
  it('should be Ready/Valid after logging in, resolving the project and listing the scope', async () => {
    const { provider, context, simulator } = setup();
    await expect(
      provider.validateStore(infisicalStore(), context),
    ).resolves.toEqual({
      ready: true,
      reason: 'Valid',
      message:
        'Authenticated with universal-auth and listed archon-platform-pzxu/prod:/: 1 secret(s) visible',
    });
    expect(simulator.requests().map(r => r.route)).toEqual([
      'universalAuthLogin',
      'getProjectBySlug',
      'listSecretsV4',
    ]);
  });

  it.each<
    [
      string,
      (
        world: ReturnType<typeof setup>,
      ) => Parameters<ReturnType<typeof setup>['provider']['validateStore']>,
      RegExp,
    ]
  >([
    [
      'a static spec error',
      w => [infisicalStore({ scope: { projectSlug: '' } }), w.context],
      /secretsScope\.projectSlug cannot be empty/,
    ],
    [
      'an unsupported auth method',
      w => [
        infisicalStore({ auth: { unsupportedKinds: ['ldapAuthCredentials'] } }),
        w.context,
      ],
      /auth\.ldapAuthCredentials is not supported/,
    ],
    [
      'wrong credentials',
      w => [
        infisicalStore(),
        storeContext({
          logger: w.logger,
          secrets: universalAuthSecrets(undefined, 'wrong-secret-value'),
        }),
      ],
      /MachineIdentityLoginViaUniversalAuth answered HTTP 401: Invalid credentials/,
    ],
    [
      'an unknown project slug',
      w => [
        infisicalStore({ scope: { projectSlug: 'no-such-project' } }),
        w.context,
      ],
      /GetWorkspaceBySlug answered HTTP 404: Project with slug 'no-such-project' not found/,
    ],
    [
      'an unknown environment',
      w => [infisicalStore({ scope: { environmentSlug: 'qa' } }), w.context],
      /environment "qa" does not exist in project archon-platform-pzxu \(GetSecretByKeyV4 answered HTTP 404: Folder with path '\/' in environment with slug 'qa' not found\)/,
    ],
  ])(
    'should be InvalidProviderConfig with the cause for %s',
    async (_case, args, message) => {
      const world = setup();
      const result = await world.provider.validateStore(...args(world));
      expect(result).toEqual({
        ready: false,
        reason: 'InvalidProviderConfig',
        message: expect.stringMatching(message),
      });
      expect(leakedCanaries([result.message, ...world.lines])).toEqual([]);
    },
  );

  it('should be InvalidProviderConfig naming the permission when the identity cannot read the scope', async () => {
    const world = setup();
    world.simulator.addProject({ slug: 'foreign' });
    const result = await world.provider.validateStore(
      infisicalStore({ scope: { projectSlug: 'foreign' } }),
      world.context,
    );
    expect(result.ready).toBe(false);
    expect(result.message).toContain(
      'You are not allowed to read on secrets (the identity has no rule granting this action)',
    );
    expect(PROJECT).not.toBe('foreign');
  });
});
