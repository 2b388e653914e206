import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { createInfisicalHandlers } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import type {
  SimulatorProfile,
  SimulatorRoute,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  ENV,
  errorText,
  infisicalStore,
  leakedCanaries,
  PROJECT,
  providerErrorOf,
  storeContext,
  universalAuthSecrets,
  type StoreOptions,
} from '../__testUtils__/testWorld';

const server = setupServer();
registerMswTestHooks(server);

/**
 * The read suite runs against both server profiles: current upstream (v4,
 * `/api/v1/projects/slug`) and the recorded 2024-10 build (v3 only,
 * `/api/v2/workspace`). Route names differ; what the user sees must not.
 */
const PROFILES: SimulatorProfile[] = ['current', '2024-10'];
let profile: SimulatorProfile = 'current';
const ROUTE_NAMES = {
  current: {
    list: 'listSecretsV4',
    get: 'getSecretV4',
    lookup: 'getProjectBySlug',
  },
  '2024-10': {
    list: 'listSecretsV3',
    get: 'getSecretV3',
    lookup: 'getWorkspaceV2',
  },
} as const;
/** The simulator route the provider reads through on this profile. */
const route = (name: 'list' | 'get' | 'lookup'): SimulatorRoute =>
  ROUTE_NAMES[profile][name];

function setup(scope: StoreOptions['scope'] = {}) {
  const world = createTestWorld({ simulator: { profile } });
  server.use(...createInfisicalHandlers(world.simulator));
  const store = infisicalStore({ scope });
  const cycle = () => world.provider.newClient(store, world.context);
  const set = (key: string, value: string, path = '/', tags?: string[]) =>
    world.simulator.setSecret({
      project: PROJECT,
      environment: ENV,
      path,
      key,
      value,
      tags,
    });
  return { ...world, store, cycle, set };
}

describe.each(PROFILES)('InfisicalProvider reads (server profile %s)', p => {
  beforeEach(() => {
    profile = p;
  });

  describe('getSecret', () => {
    it('should serve N reads for M ExternalSecrets of one scope with 1 login and 1 list per cycle', async () => {
      const { simulator, cycle, set } = setup();
      const keys = ['A', 'B', 'C', 'D', 'E', 'F'];
      keys.forEach(key => set(key, `value-of-${key}`));
      const client = await cycle();
      // Three ExternalSecrets reading overlapping keys, concurrently.
      const reads = [
        keys.slice(0, 3),
        keys.slice(2),
        ['MY_SECRET_NAME', 'A'],
      ].flat();
      const values = await Promise.all(
        reads.map(key => client.getSecret({ key })),
      );
      await client.close();

      expect(values.map(v => v.value.text())).toEqual(
        reads.map(k =>
          k === 'MY_SECRET_NAME' ? CANARY.value : `value-of-${k}`,
        ),
      );
      expect(simulator.requests('universalAuthLogin')).toHaveLength(1);
      expect(simulator.requests(route('lookup'))).toHaveLength(1);
      expect(simulator.requests(route('list'))).toHaveLength(1);
    });

    it('should reuse the token across cycles and reuse the snapshot on a 304', async () => {
      const { simulator, cycle } = setup();
      const first = await cycle();
      await first.getSecret({ key: 'MY_SECRET_NAME' });
      await first.close();
      simulator.clearRequests();

      const second = await cycle();
      const secret = await second.getSecret({ key: 'MY_SECRET_NAME' });

      expect(secret.value.text()).toBe(CANARY.value);
      expect(simulator.requests('universalAuthLogin')).toHaveLength(0);
      expect(simulator.requests(route('lookup'))).toHaveLength(0);
      const [list] = simulator.requests(route('list'));
      expect(list.ifNoneMatch).toBeDefined();
      expect(list.status).toBe(304);
    });

    it('should see a changed value in the next cycle (a 200 with a new ETag)', async () => {
      const { simulator, cycle, set } = setup();
      await (await cycle()).getSecret({ key: 'MY_SECRET_NAME' });
      set('MY_SECRET_NAME', CANARY.otherValue);

      const secret = await (await cycle()).getSecret({ key: 'MY_SECRET_NAME' });

      expect(secret.value.text()).toBe(CANARY.otherValue);
      expect(secret.version).toBe('2');
      expect(simulator.requests(route('list')).map(r => r.status)).toEqual([
        200, 200,
      ]);
    });

    it('should send the scope flags explicitly, expandSecretReferences included', async () => {
      const { simulator, cycle } = setup({
        expandSecretReferences: false,
        secretsPath: '/',
      });
      await (await cycle()).getSecret({ key: 'MY_SECRET_NAME' });

      expect(simulator.requests(route('list'))[0].query).toEqual(
        expect.objectContaining({
          environment: ENV,
          secretPath: '/',
          recursive: 'false',
          include_imports: 'true',
          expandSecretReferences: 'false',
        }),
      );
    });

    it('should expand secret references by default, as ESO does', async () => {
      const { cycle, set, simulator } = setup();
      set('DB_HOST', 'db.internal');
      set('DB_URL', 'postgres://${DB_HOST}:5432');
      simulator.setSecret({
        project: PROJECT,
        environment: 'dev',
        key: 'REGION',
        value: 'eu-west-1',
      });
      set('CROSS', 'region=${dev.REGION}');
      const client = await cycle();

      expect((await client.getSecret({ key: 'DB_URL' })).value.text()).toBe(
        'postgres://db.internal:5432',
      );
      expect((await client.getSecret({ key: 'CROSS' })).value.text()).toBe(
        'region=eu-west-1',
      );
    });

    it('should return the raw value and leave `property` to the core', async () => {
      const { cycle, set } = setup();
      set('JSON', '{"user":"app","port":5432}');
      const secret = await (await cycle()).getSecret({ key: 'JSON' });
      expect(secret.value.text()).toBe('{"user":"app","port":5432}');
      expect(secret.path).toBe('/');
    });

    it('should prefer a local secret over an imported one with the same key', async () => {
      const { cycle, set, simulator } = setup();
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/shared',
        key: 'MY_SECRET_NAME',
        value: 'imported',
      });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/shared',
        key: 'ONLY_IMPORTED',
        value: 'from-shared',
      });
      simulator.addImport({
        project: PROJECT,
        environment: ENV,
        path: '/',
        from: { environment: ENV, path: '/shared' },
      });
      set('LOCAL', 'local');
      const client = await cycle();

      expect(
        (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text(),
      ).toBe(CANARY.value);
      expect(
        (await client.getSecret({ key: 'ONLY_IMPORTED' })).value.text(),
      ).toBe('from-shared');
    });

    describe('folder keys', () => {
      it('should read absolute and relative folder keys, one list per folder per cycle', async () => {
        const { cycle, simulator } = setup({ secretsPath: '/app' });
        simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          path: '/app',
          key: 'BARE',
          value: 'in-app',
        });
        simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          path: '/app/db',
          key: 'PASSWORD',
          value: 'rel',
        });
        simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          path: '/other',
          key: 'TOKEN',
          value: 'abs',
        });
        simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          path: '/other',
          key: 'TOKEN2',
          value: 'abs2',
        });
        const client = await cycle();

        const values = await Promise.all(
          [
            'BARE',
            'db/PASSWORD',
            '/other/TOKEN',
            '/other/TOKEN2',
            '/app/db/PASSWORD',
          ].map(key => client.getSecret({ key })),
        );

        expect(values.map(v => [v.value.text(), v.path])).toEqual([
          ['in-app', '/app'],
          ['rel', '/app/db'],
          ['abs', '/other'],
          ['abs2', '/other'],
          ['rel', '/app/db'],
        ]);
        expect(
          simulator
            .requests(route('list'))
            .map(r => r.query.secretPath)
            .sort(),
        ).toEqual(['/app', '/app/db', '/other']);
      });

      it('should read subfolder keys from the recursive scope listing without another list', async () => {
        const { cycle, simulator } = setup({
          secretsPath: '/',
          recursive: true,
        });
        simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          path: '/app/db',
          key: 'PASSWORD',
          value: 'nested',
        });
        const client = await cycle();

        expect(
          (await client.getSecret({ key: '/app/db/PASSWORD' })).value.text(),
        ).toBe('nested');
        expect(
          (await client.getSecret({ key: 'app/db/PASSWORD' })).value.text(),
        ).toBe('nested');
        expect(simulator.requests(route('list'))).toHaveLength(1);
      });
    });

    describe('missing keys and folders', () => {
      it('should report KEY_NOT_FOUND with folderExists only when Infisical confirms the folder', async () => {
        const { cycle } = setup();
        const error = await providerErrorOf(async () =>
          (await cycle()).getSecret({ key: 'NOPE' }),
        );

        expect(error.errorType).toBe('KEY_NOT_FOUND');
        expect(error.provesKeyIsGone).toBe(true);
        expect(error.details).toEqual(
          expect.objectContaining({
            key: 'NOPE',
            path: '/',
            store: 'ClusterSecretStore/infisical-archon-platform',
            httpStatus: 404,
          }),
        );
        expect(error.details.requestId).toBeUndefined(); // the recorded server sends none
        expect(error.message).toContain(
          'key "NOPE" does not exist in folder "/"',
        );
        expect(error.message).toContain('confirmed that the folder exists');
      });

      it('should name the existing keys one typo away from a mistyped key, and no values', async () => {
        const { cycle } = setup();
        const error = await providerErrorOf(async () =>
          (await cycle()).getSecret({ key: 'MY_SECRET_NAM' }),
        );

        expect(error.errorType).toBe('KEY_NOT_FOUND');
        expect(error.details.similarKeys).toEqual(['MY_SECRET_NAME']);
        expect(JSON.stringify(error.details)).not.toContain(CANARY.value);
      });

      it("should name the nearest keys of a folder key in the key's own form, so the suggestion reads that secret", async () => {
        const { cycle, set } = setup({ recursive: true });
        set('DB_PASSWORD', CANARY.value, '/payments');
        const error = await providerErrorOf(async () =>
          (await cycle()).getSecret({ key: '/payments/DB_PASWORD' }),
        );

        expect(error.errorType).toBe('KEY_NOT_FOUND');
        expect(error.details.similarKeys).toEqual(['/payments/DB_PASSWORD']);
      });

      it('should report FOLDER_NOT_FOUND, never evidence of deletion, for a key in a missing folder', async () => {
        const { cycle } = setup();
        const error = await providerErrorOf(async () =>
          (await cycle()).getSecret({ key: '/missing/KEY' }),
        );

        expect(error.errorType).toBe('FOLDER_NOT_FOUND');
        expect(error.provesKeyIsGone).toBe(false);
        expect(error.message).toContain('folder "/missing" does not exist');
      });

      it('should probe a missing key at most once per cycle', async () => {
        const { cycle, simulator } = setup();
        const client = await cycle();
        await Promise.allSettled([
          client.getSecret({ key: 'NOPE' }),
          client.getSecret({ key: 'NOPE' }),
        ]);
        await client.getSecret({ key: 'NOPE' }).catch(() => undefined);

        expect(simulator.requests(route('get'))).toHaveLength(1);
      });

      it('should return a key the listing lacked when the single read finds it', async () => {
        const { cycle, simulator } = setup({
          secretsPath: '/',
          recursive: true,
        });
        simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          path: '/base',
          key: 'INHERITED',
          value: 'from-base',
        });
        simulator.addImport({
          project: PROJECT,
          environment: ENV,
          path: '/app',
          from: { environment: ENV, path: '/base' },
        });

        const secret = await (
          await cycle()
        ).getSecret({ key: '/app/INHERITED' });

        expect(secret.value.text()).toBe('from-base');
        expect(simulator.requests(route('get'))).toHaveLength(1);
      });

      it('should warn when a scope lists empty after having keys, and still require per-key evidence', async () => {
        const { cycle, simulator, lines } = setup();
        await (await cycle()).getSecret({ key: 'MY_SECRET_NAME' });
        simulator.deleteSecret({
          project: PROJECT,
          environment: ENV,
          key: 'MY_SECRET_NAME',
        });

        const error = await providerErrorOf(async () =>
          (await cycle()).getSecret({ key: 'MY_SECRET_NAME' }),
        );

        expect(lines.filter(line => line.startsWith('warn'))).toEqual([
          expect.stringContaining(
            'listed no secrets in archon-platform-pzxu/prod:/ although the previous read had 1',
          ),
        ]);
        expect(error.errorType).toBe('KEY_NOT_FOUND');
        expect(simulator.requests(route('get'))).toHaveLength(1);
      });

      it('should point at the folders holding a bare key in a recursive scope', async () => {
        const { cycle, simulator } = setup({ recursive: true });
        simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          path: '/app',
          key: 'ONLY_IN_APP',
          value: 'x',
        });

        const error = await providerErrorOf(async () =>
          (await cycle()).getSecret({ key: 'ONLY_IN_APP' }),
        );

        expect(error.errorType).toBe('KEY_NOT_FOUND');
        expect(error.details.hint).toContain('address it as /app/ONLY_IN_APP');
      });
    });

    it('should refuse a value the identity may list but not read', async () => {
      const { simulator, provider, context, identityId } = setup();
      simulator.addProject({ slug: 'describe-only' });
      simulator.setSecret({
        project: 'describe-only',
        environment: ENV,
        key: 'HIDDEN',
        value: CANARY.value,
      });
      simulator.grant(identityId, 'describe-only', { readValue: false });
      const store = infisicalStore({ scope: { projectSlug: 'describe-only' } });

      const error = await providerErrorOf(async () =>
        (await provider.newClient(store, context)).getSecret({ key: 'HIDDEN' }),
      );

      expect(error.errorType).toBe('PERMISSION_DENIED');
      expect(error.message).toContain(
        'may list "HIDDEN" in / but not read its value',
      );
    });

    it('should refuse remoteRef.version and keys that name no secret', async () => {
      const client = await setup().cycle();
      expect(
        (
          await providerErrorOf(() =>
            client.getSecret({ key: 'MY_SECRET_NAME', version: '3' }),
          )
        ).errorType,
      ).toBe('UNSUPPORTED');
      expect(
        (await providerErrorOf(() => client.getSecret({ key: 'folder/' })))
          .errorType,
      ).toBe('INVALID_REQUEST');
    });
  });

  describe('findSecrets', () => {
    const find = (extra: object = {}) => ({
      decodingStrategy: 'None' as const,
      ...extra,
    });

    it('should match find.path as a string prefix of each secret path, as ESO does', async () => {
      const { cycle, simulator } = setup({ recursive: true });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/app',
        key: 'IN_APP',
        value: '1',
      });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/application',
        key: 'IN_APPLICATION',
        value: '2',
      });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/other',
        key: 'IN_OTHER',
        value: '3',
      });

      const found = await (await cycle()).findSecrets(find({ path: '/app' }));

      expect([...found.keys()].sort()).toEqual(['IN_APP', 'IN_APPLICATION']);
      expect(found.get('IN_APP')?.path).toBe('/app');
      expect(simulator.requests(route('list'))).toHaveLength(1);
    });

    it('should filter names with find.name.regexp', async () => {
      const { cycle, set } = setup();
      set('DB_USER', 'u');
      set('DB_PASS', 'p');
      set('API_KEY', 'k');
      const found = await (
        await cycle()
      ).findSecrets(find({ name: { regexp: '^DB_' } }));
      expect([...found.keys()].sort()).toEqual(['DB_PASS', 'DB_USER']);
    });

    // ESO compiles find.name.regexp with Go's regexp (RE2): Go syntax that
    // JavaScript's RegExp refuses or reads differently must work as in Go, and
    // a pattern that backtracks catastrophically on a JavaScript engine (~2^39
    // steps here, hours) must finish well within jest's timeout.
    it('should filter names with Go regexp syntax and semantics (RE2)', async () => {
      const { cycle, set } = setup();
      set('DB_user', 'u');
      set('DB_USER', 'U');
      set('db_user', 'x');
      set(`${'A'.repeat(39)}!`, 'k');
      const client = await cycle();
      const names = async (regexp: string) =>
        [
          ...(await client.findSecrets(find({ name: { regexp } }))).keys(),
        ].sort();
      expect(await names('^DB_(?i)user\\z')).toEqual(['DB_USER', 'DB_user']);
      expect(await names('^(?P<p>\\p{Lu}+)_\\p{Ll}')).toEqual(['DB_user']);
      expect(await names('(A+)+$')).toEqual([]);
    });

    it.each(['any', 'all'] as const)(
      'should match find.tags as ALL of the tag slugs whatever Infisical does with several (server mode %s)',
      async tagSlugsMode => {
        const world = createTestWorld({ simulator: { profile, tagSlugsMode } });
        server.use(...createInfisicalHandlers(world.simulator));
        const set = (key: string, tags: string[]) =>
          world.simulator.setSecret({
            project: PROJECT,
            environment: ENV,
            key,
            value: key,
            tags,
          });
        set('BOTH', ['payments', 'backend']);
        set('ONLY_PAYMENTS', ['payments']);
        set('NONE', []);
        const client = await world.provider.newClient(
          infisicalStore(),
          world.context,
        );

        const found = await client.findSecrets(
          find({ tags: { payments: '', backend: 'backend' } }),
        );

        expect([...found.keys()]).toEqual(['BOTH']);
        expect(world.simulator.requests(route('list'))).toHaveLength(1);
      },
    );

    it('should ask once per tag with tagSlugs when the instance lists no tag data', async () => {
      const world = createTestWorld({
        simulator: { profile, listTags: false },
      });
      server.use(...createInfisicalHandlers(world.simulator));
      const set = (key: string, tags: string[]) =>
        world.simulator.setSecret({
          project: PROJECT,
          environment: ENV,
          key,
          value: key,
          tags,
        });
      set('BOTH', ['payments', 'backend']);
      set('ONLY_PAYMENTS', ['payments']);
      const client = await world.provider.newClient(
        infisicalStore(),
        world.context,
      );

      const found = await client.findSecrets(
        find({ tags: { payments: '', backend: '' } }),
      );

      expect([...found.keys()]).toEqual(['BOTH']);
      expect(
        world.simulator.requests(route('list')).map(r => r.query.tagSlugs),
      ).toEqual([undefined, 'backend', 'payments']);
    });

    it('should refuse find.tags values, naming the tag', async () => {
      const error = await providerErrorOf(async () =>
        (await setup().cycle()).findSecrets(find({ tags: { env: 'prod' } })),
      );
      expect(error.errorType).toBe('UNSUPPORTED');
      expect(error.message).toContain('find.tags env=prod');
    });

    it('should report a key found in two folders of a recursive scope instead of picking one', async () => {
      const { cycle, simulator } = setup({ recursive: true });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/a',
        key: 'DUP',
        value: CANARY.otherValue,
      });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/b',
        key: 'DUP',
        value: CANARY.otherValue,
      });

      const error = await providerErrorOf(async () =>
        (await cycle()).findSecrets(find()),
      );

      expect(error.errorType).toBe('INVALID_CONFIG');
      expect(error.message).toContain('"DUP" in /a and /b');
    });

    it('should not report a collision that the filters exclude', async () => {
      const { cycle, simulator } = setup({ recursive: true });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/a',
        key: 'DUP',
        value: '1',
      });
      simulator.setSecret({
        project: PROJECT,
        environment: ENV,
        path: '/b',
        key: 'DUP',
        value: '2',
      });
      const found = await (await cycle()).findSecrets(find({ path: '/a' }));
      expect(found.get('DUP')?.value.text()).toBe('1');
    });

    it('should not hand out an empty result the first time a scope lists empty after having keys', async () => {
      const { cycle, simulator } = setup();
      expect((await (await cycle()).findSecrets(find())).size).toBe(1);
      simulator.deleteSecret({
        project: PROJECT,
        environment: ENV,
        key: 'MY_SECRET_NAME',
      });

      const error = await providerErrorOf(async () =>
        (await cycle()).findSecrets(find()),
      );
      expect(error.errorType).toBe('UNAVAILABLE');
      expect(error.isTransient).toBe(true);
      expect((await (await cycle()).findSecrets(find())).size).toBe(0);
    });
  });

  describe('API versions', () => {
    it('should fall back to /api/v3/secrets/raw when the instance lacks v4, and remember it', async () => {
      // The recorded 2024-10 build: v3 only, project lookup at /api/v2/workspace only.
      const world = createTestWorld({ simulator: { profile: '2024-10' } });
      server.use(...createInfisicalHandlers(world.simulator));
      const store = infisicalStore();

      const first = await world.provider.newClient(store, world.context);
      expect(
        (await first.getSecret({ key: 'MY_SECRET_NAME' })).value.text(),
      ).toBe(CANARY.value);
      const missing = await providerErrorOf(() =>
        first.getSecret({ key: 'NOPE' }),
      );
      const second = await world.provider.newClient(store, world.context);
      await second.getSecret({ key: 'MY_SECRET_NAME' });

      expect(missing.errorType).toBe('KEY_NOT_FOUND');
      expect(missing.details.call).toBe('GetSecretByKeyV3');
      expect(
        world.simulator.requests().map(r => `${r.route}:${r.status}`),
      ).toEqual([
        'universalAuthLogin:200',
        'unknown:404', // /api/v1/projects/slug is absent on this release
        'getWorkspaceV2:200',
        'unknown:404', // /api/v4/secrets is absent
        'listSecretsV3:200',
        'getSecretV3:404',
        'listSecretsV3:304',
      ]);
      expect(
        world.simulator.requests('listSecretsV3')[0].query.workspaceSlug,
      ).toBe(PROJECT);
    });
  });

  describe('identities', () => {
    it('should never share a token, project id or snapshot between stores with different identities', async () => {
      const world = createTestWorld({ simulator: { profile } });
      server.use(...createInfisicalHandlers(world.simulator));
      const otherId = world.simulator.addUniversalAuthIdentity({
        identityId: 'other',
        clientId: 'other-client-id',
        clientSecret: 'other-client-secret',
      });
      world.simulator.grant(otherId, PROJECT);
      const secrets = {
        ...universalAuthSecrets(),
        ...universalAuthSecrets(
          'other-client-id',
          'other-client-secret',
          'other-creds',
        ),
      };
      const context = storeContext({ logger: world.logger, secrets });
      const storeA = infisicalStore({ name: 'a' });
      const storeB = infisicalStore({
        name: 'b',
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

      for (let cycleNo = 0; cycleNo < 2; cycleNo++) {
        const [a, b] = await Promise.all([
          world.provider.newClient(storeA, context),
          world.provider.newClient(storeB, context),
        ]);
        await Promise.all([
          a.getSecret({ key: 'MY_SECRET_NAME' }),
          b.getSecret({ key: 'MY_SECRET_NAME' }),
        ]);
      }

      const lists = world.simulator.requests(route('list'));
      const byIdentity = (id: string) => lists.filter(r => r.identityId === id);
      expect(world.simulator.requests('universalAuthLogin')).toHaveLength(2);
      expect(
        world.simulator
          .requests(route('lookup'))
          .map(r => r.identityId)
          .sort(),
      ).toEqual(['eso-archon-platform', 'other']);
      expect(byIdentity('eso-archon-platform').map(r => r.status)).toEqual([
        200, 304,
      ]);
      expect(byIdentity('other').map(r => r.status)).toEqual([200, 304]);
      expect(
        new Set(byIdentity('eso-archon-platform').map(r => r.tokenId)),
      ).not.toEqual(new Set(byIdentity('other').map(r => r.tokenId)));
    });

    it('should not lend a cached token to a store that knows the clientId but not the clientSecret', async () => {
      const world = createTestWorld({ simulator: { profile } });
      server.use(...createInfisicalHandlers(world.simulator));
      await (
        await world.provider.newClient(infisicalStore(), world.context)
      ).getSecret({ key: 'MY_SECRET_NAME' });
      const impostor = storeContext({
        logger: world.logger,
        secrets: universalAuthSecrets(CANARY.clientId, 'guessed-secret'),
      });

      const error = await providerErrorOf(async () =>
        (
          await world.provider.newClient(
            infisicalStore({ name: 'impostor' }),
            impostor,
          )
        ).getSecret({ key: 'MY_SECRET_NAME' }),
      );

      expect(error.errorType).toBe('AUTH_FAILED');
      expect(
        world.simulator.requests('universalAuthLogin').map(r => r.status),
      ).toEqual([200, 401]);
    });
  });

  it('should keep canary values and credentials out of every error and log line', async () => {
    const { cycle, simulator, lines, set } = setup({ recursive: true });
    simulator.setSecret({
      project: PROJECT,
      environment: ENV,
      path: '/a',
      key: 'DUP',
      value: CANARY.otherValue,
    });
    simulator.setSecret({
      project: PROJECT,
      environment: ENV,
      path: '/b',
      key: 'DUP',
      value: CANARY.otherValue,
    });
    set('REF', '${MY_SECRET_NAME}');
    const client = await cycle();
    const errors = await Promise.all([
      providerErrorOf(() => client.getSecret({ key: 'NOPE' })),
      providerErrorOf(() => client.getSecret({ key: '/missing/NOPE' })),
      providerErrorOf(() => client.findSecrets({ decodingStrategy: 'None' })),
      providerErrorOf(() =>
        client.findSecrets({ decodingStrategy: 'None', name: { regexp: '(' } }),
      ),
    ]);
    const values = await Promise.all([
      client.getSecret({ key: 'MY_SECRET_NAME' }),
      client.getSecret({ key: 'REF' }),
    ]);

    expect(values.map(v => v.value.text())).toEqual([
      CANARY.value,
      CANARY.value,
    ]);
    expect(
      leakedCanaries([
        ...errors.map(errorText),
        ...lines,
        JSON.stringify(values),
      ]),
    ).toEqual([]);
  });
});
