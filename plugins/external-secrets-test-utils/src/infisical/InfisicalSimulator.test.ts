import { InfisicalSimulator } from './InfisicalSimulator';
import { startInfisicalSimulatorServer } from './startInfisicalSimulatorServer';
import type { SimulatorResponse } from './types';

const BASE = 'https://sim.test/api';

function setup(
  options: ConstructorParameters<typeof InfisicalSimulator>[0] = {},
) {
  let now = Date.UTC(2026, 0, 1);
  const sim = new InfisicalSimulator({ now: () => now, ...options });
  const projectId = sim.addProject({
    slug: 'shop',
    environments: ['dev', 'prod'],
  });
  sim.addUniversalAuthIdentity({
    identityId: 'id-1',
    clientId: 'client-1',
    clientSecret: 'secret-1',
    token: { accessTokenTTL: 60, accessTokenMaxTTL: 120 },
  });
  sim.grant('id-1', 'shop');
  const call = async (
    method: string,
    path: string,
    init: {
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    return answer(
      await sim.handle({
        method,
        url: `${BASE}${path}`,
        headers,
        body: init.body,
      }),
    );
  };
  const login = async (clientSecret = 'secret-1') =>
    call('POST', '/v1/auth/universal-auth/login', {
      body: { clientId: 'client-1', clientSecret },
    });
  const token = async () => (await login()).body.accessToken as string;
  const advance = (ms: number) => {
    now += ms;
  };
  return { sim, projectId, call, login, token, advance };
}

function answer(response: SimulatorResponse) {
  if ('networkError' in response) throw new Error('network error');
  return response as {
    status: number;
    headers: Record<string, string>;
    body: any;
  };
}

describe('InfisicalSimulator', () => {
  describe('auth', () => {
    it('should lock Universal Auth out after 3 failed logins within 30 s, for 300 s', async () => {
      const { login, advance, sim } = setup();
      for (let i = 0; i < 3; i++)
        expect((await login('wrong')).status).toBe(401);

      const locked = await login();
      advance(301_000);
      const unlocked = await login();

      expect(locked.body).toEqual(
        expect.objectContaining({
          error: 'UnauthorizedError',
          message:
            'This identity auth method is temporarily locked, please try again later',
        }),
      );
      expect(unlocked.status).toBe(200);
      expect(sim.isLockedOut('client-1')).toBe(false);
    });

    it('should reset the failure counter 30 s after the last failure', async () => {
      const { login, advance } = setup();
      await login('wrong');
      await login('wrong');
      advance(31_000);
      await login('wrong');
      expect((await login()).status).toBe(200);
    });

    it('should answer a login without a field with 422 and issues as an array', async () => {
      const { call } = setup();
      const response = await call('POST', '/v1/auth/universal-auth/login', {
        body: { clientId: 'client-1' },
      });
      expect(response.status).toBe(422);
      expect(response.body.message).toEqual([
        expect.objectContaining({
          path: ['clientSecret'],
          message: 'Required',
        }),
      ]);
    });

    it('should expire tokens and renew them until the max TTL', async () => {
      const { call, token, advance, projectId } = setup();
      const first = await token();
      const list = (t: string) =>
        call('GET', `/v4/secrets?projectId=${projectId}&environment=prod`, {
          token: t,
        });

      advance(50_000);
      const renewed = await call('POST', '/v1/auth/token/renew', {
        body: { accessToken: first },
      });
      advance(50_000);
      const afterRenew = await list(renewed.body.accessToken);
      const pastMax = await call('POST', '/v1/auth/token/renew', {
        body: { accessToken: renewed.body.accessToken },
      });
      advance(61_000);
      const expired = await list(first);

      expect(renewed.body).toEqual(
        expect.objectContaining({
          expiresIn: 60,
          accessTokenMaxTTL: 120,
          tokenType: 'Bearer',
        }),
      );
      expect(renewed.body.accessToken).not.toBe(first);
      expect(afterRenew.status).toBe(200);
      expect(pastMax).toEqual(expect.objectContaining({ status: 401 }));
      expect(pastMax.body.message).toBe(
        'Failed to renew MI access token past its Max TTL expiration',
      );
      expect(expired.status).toBe(401); // the refused renewal deleted the token
    });

    it('should answer an expired token with the recorded 401 UnauthorizedError', async () => {
      const { call, token, advance, projectId } = setup();
      const t = await token();
      advance(61_000);
      const response = await call(
        'GET',
        `/v4/secrets?projectId=${projectId}&environment=prod`,
        { token: t },
      );
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        statusCode: 401,
        message: 'Failed to renew MI access token due to TTL expiration',
        error: 'UnauthorizedError',
      });
    });

    it('should revoke tokens', async () => {
      const { call, token, sim, projectId } = setup();
      const t = await token();
      await call('POST', '/v1/auth/token/revoke', { body: { accessToken: t } });
      expect(
        (
          await call(
            'GET',
            `/v4/secrets?projectId=${projectId}&environment=prod`,
            { token: t },
          )
        ).status,
      ).toBe(401);
      expect(sim.activeTokenIds('id-1')).toEqual([]);
    });

    it('should enforce access-token use limits', async () => {
      const { sim, call, projectId } = setup();
      sim.addUniversalAuthIdentity({
        identityId: 'id-2',
        clientId: 'client-2',
        clientSecret: 'secret-2',
        token: { accessTokenNumUsesLimit: 1 },
      });
      sim.grant('id-2', 'shop');
      const t = (
        await call('POST', '/v1/auth/universal-auth/login', {
          body: { clientId: 'client-2', clientSecret: 'secret-2' },
        })
      ).body.accessToken;
      const list = () =>
        call('GET', `/v4/secrets?projectId=${projectId}&environment=prod`, {
          token: t,
        });
      expect((await list()).status).toBe(200);
      expect((await list()).body.message).toMatch(
        /number of uses limit reached/,
      );
    });

    it('should accept only the service-account JWTs the TokenReview would', async () => {
      const { sim, call } = setup();
      sim.addKubernetesAuthIdentity({
        identityId: 'k8s',
        serviceAccountJwts: ['good.jwt'],
      });
      const login = (jwt: string) =>
        call('POST', '/v1/auth/kubernetes-auth/login', {
          body: { identityId: 'k8s', jwt },
        });
      expect((await login('good.jwt')).status).toBe(200);
      expect((await login('bad.jwt')).status).toBe(401);
    });
  });

  describe('secrets', () => {
    it('should resolve project slugs on both routes, and drop the newer one on old releases', async () => {
      const current = setup();
      const old = setup({ projectsRoute: false, workspaceV2Route: false });
      const t1 = await current.token();
      const t2 = await old.token();
      expect(
        (await current.call('GET', '/v1/projects/slug/shop', { token: t1 }))
          .body.id,
      ).toBe(current.projectId);
      expect(
        (await old.call('GET', '/v1/projects/slug/shop', { token: t2 })).status,
      ).toBe(404);
      expect(
        (await old.call('GET', '/v1/workspace/slug/shop', { token: t2 })).body
          .id,
      ).toBe(old.projectId);
    });

    it('should list recursively with each secret path, and expand references only when asked', async () => {
      const { sim, call, token, projectId } = setup();
      sim.setSecret({
        project: 'shop',
        environment: 'prod',
        key: 'HOST',
        value: 'db',
      });
      sim.setSecret({
        project: 'shop',
        environment: 'prod',
        path: '/app',
        key: 'URL',
        value: 'pg://${prod.HOST}/${NAME}',
      });
      sim.setSecret({
        project: 'shop',
        environment: 'prod',
        path: '/app',
        key: 'NAME',
        value: 'shop',
      });
      const t = await token();
      const list = (expand: boolean) =>
        call(
          'GET',
          `/v4/secrets?projectId=${projectId}&environment=prod&secretPath=/&recursive=true&expandSecretReferences=${expand}`,
          { token: t },
        );

      const expanded = (await list(true)).body.secrets;
      const raw = (await list(false)).body.secrets;

      expect(
        expanded.map((s: any) => `${s.secretPath}:${s.secretKey}`),
      ).toEqual(['/:HOST', '/app:NAME', '/app:URL']);
      expect(expanded[2].secretValue).toBe('pg://db/shop');
      expect(raw[2].secretValue).toBe('pg://${prod.HOST}/${NAME}');
    });

    it('should list a missing folder as empty, while the single read tells a missing folder from a missing key', async () => {
      const { call, token, projectId } = setup();
      const t = await token();
      const listed = await call(
        'GET',
        `/v4/secrets?projectId=${projectId}&environment=prod&secretPath=/nope`,
        { token: t },
      );
      const folder = await call(
        'GET',
        `/v4/secrets/KEY?projectId=${projectId}&environment=prod&secretPath=/nope`,
        { token: t },
      );
      const key = await call(
        'GET',
        `/v4/secrets/KEY?projectId=${projectId}&environment=prod&secretPath=/`,
        { token: t },
      );

      expect(listed.body).toEqual({ secrets: [], imports: [] });
      expect(folder.body).toEqual(
        expect.objectContaining({
          error: 'GetSecretByName',
          message:
            "Folder with path '/nope' in environment with slug 'prod' not found",
        }),
      );
      expect(key.body).toEqual(
        expect.objectContaining({
          error: 'NotFound',
          message: "Secret with name 'KEY' not found",
        }),
      );
    });

    it('should return imports beside local secrets, and resolve a single read local first, then the last import', async () => {
      const { sim, call, token, projectId } = setup();
      sim.setSecret({
        project: 'shop',
        environment: 'dev',
        path: '/base',
        key: 'K',
        value: 'first-import',
      });
      sim.setSecret({
        project: 'shop',
        environment: 'prod',
        path: '/shared',
        key: 'K',
        value: 'last-import',
      });
      sim.addImport({
        project: 'shop',
        environment: 'prod',
        from: { environment: 'dev', path: '/base' },
      });
      sim.addImport({
        project: 'shop',
        environment: 'prod',
        from: { environment: 'prod', path: '/shared' },
      });
      const t = await token();
      const get = async () =>
        (
          await call(
            'GET',
            `/v4/secrets/K?projectId=${projectId}&environment=prod&include_imports=true`,
            { token: t },
          )
        ).body.secret.secretValue;

      const listed = (
        await call(
          'GET',
          `/v4/secrets?projectId=${projectId}&environment=prod&include_imports=true`,
          { token: t },
        )
      ).body;
      const viaImport = await get();
      sim.setSecret({
        project: 'shop',
        environment: 'prod',
        key: 'K',
        value: 'local',
      });

      expect(
        listed.imports.map((i: any) => `${i.environment}:${i.secretPath}`),
      ).toEqual(['dev:/base', 'prod:/shared']);
      expect(viaImport).toBe('last-import');
      expect(await get()).toBe('local');
    });

    it.each([
      ['any', ['A', 'B']],
      ['all', ['A']],
    ] as const)(
      'should filter tagSlugs as %s-of',
      async (tagSlugsMode, expected) => {
        const { sim, call, token, projectId } = setup({ tagSlugsMode });
        sim.setSecret({
          project: 'shop',
          environment: 'prod',
          key: 'A',
          value: '1',
          tags: ['x', 'y'],
        });
        sim.setSecret({
          project: 'shop',
          environment: 'prod',
          key: 'B',
          value: '2',
          tags: ['x'],
        });
        sim.setSecret({
          project: 'shop',
          environment: 'prod',
          key: 'C',
          value: '3',
        });
        const response = await call(
          'GET',
          `/v4/secrets?projectId=${projectId}&environment=prod&tagSlugs=x,y`,
          { token: await token() },
        );
        expect(response.body.secrets.map((s: any) => s.secretKey)).toEqual(
          expected,
        );
      },
    );

    it('should add an ETag to JSON GETs and answer 304 when it matches', async () => {
      const { sim, call, token, projectId } = setup();
      const t = await token();
      const path = `/v4/secrets?projectId=${projectId}&environment=prod`;
      const first = await call('GET', path, { token: t });
      const same = await call('GET', path, {
        token: t,
        headers: { 'if-none-match': first.headers.etag },
      });
      sim.setSecret({
        project: 'shop',
        environment: 'prod',
        key: 'NEW',
        value: 'v',
      });
      const changed = await call('GET', path, {
        token: t,
        headers: { 'if-none-match': first.headers.etag },
      });

      expect(first.headers.etag).toMatch(/^".+"$/);
      expect(same).toEqual({
        status: 304,
        headers: {
          vary: 'Origin',
          'content-type': 'application/json; charset=utf-8',
          etag: first.headers.etag,
          'content-length': '0',
        },
      });
      expect(changed.status).toBe(200);
    });

    it('should hide values from identities without read-value permission', async () => {
      const { sim, call, projectId } = setup();
      sim.setSecret({
        project: 'shop',
        environment: 'prod',
        key: 'K',
        value: 'v',
      });
      sim.addUniversalAuthIdentity({
        identityId: 'viewer',
        clientId: 'viewer',
        clientSecret: 'viewer-secret',
      });
      sim.grant('viewer', 'shop', { readValue: false });
      const t = (
        await call('POST', '/v1/auth/universal-auth/login', {
          body: { clientId: 'viewer', clientSecret: 'viewer-secret' },
        })
      ).body.accessToken;
      const [secret] = (
        await call(
          'GET',
          `/v4/secrets?projectId=${projectId}&environment=prod`,
          { token: t },
        )
      ).body.secrets;
      expect(secret).toEqual(
        expect.objectContaining({
          secretValueHidden: true,
          secretValue: '<hidden-by-infisical>',
        }),
      );
    });

    it('should list sub-folders, and answer for an empty folder until it is deleted', async () => {
      const { sim, call, token, projectId } = setup();
      sim.addFolder({ project: 'shop', environment: 'prod', path: '/app/db' });
      const t = await token();
      const folders = await call(
        'GET',
        `/v1/folders?projectId=${projectId}&environment=prod&path=/app`,
        { token: t },
      );
      const get = () =>
        call(
          'GET',
          `/v4/secrets/KEY?projectId=${projectId}&environment=prod&secretPath=/app/db`,
          { token: t },
        );
      const beforeDelete = await get();
      sim.deleteFolder({ project: 'shop', environment: 'prod', path: '/app' });

      expect(folders.body.folders.map((f: any) => f.name)).toEqual(['db']);
      expect(beforeDelete.body.error).toBe('NotFound');
      expect((await get()).body.error).toBe('GetSecretByName');
    });

    it('should answer like fastify for routes an old release lacks', async () => {
      const { call, token, projectId } = setup({ v4: false });
      const response = await call(
        'GET',
        `/v4/secrets?projectId=${projectId}&environment=prod`,
        { token: await token() },
      );
      expect(response).toEqual(
        expect.objectContaining({
          status: 404,
          body: {
            message: `Route GET:/api/v4/secrets?projectId=${projectId}&environment=prod not found`,
            error: 'Not Found',
            statusCode: 404,
          },
        }),
      );
    });
  });

  describe('faults and the request log', () => {
    it('should inject statuses, headers and bodies for a number of requests, and log them without tokens', async () => {
      const { sim, call, token, projectId } = setup();
      sim.injectFault({
        route: 'listSecretsV4',
        status: 429,
        headers: { 'retry-after': '3' },
        times: 2,
      });
      const t = await token();
      const path = `/v4/secrets?projectId=${projectId}&environment=prod`;
      const answers = [
        await call('GET', path, { token: t }),
        await call('GET', path, { token: t }),
        await call('GET', path, { token: t }),
      ];

      expect(answers.map(a => a.status)).toEqual([429, 429, 200]);
      expect(answers[0].headers['retry-after']).toBe('3');
      expect(answers[0].body).toEqual(
        expect.objectContaining({
          statusCode: 429,
          error: 'RateLimitExceeded',
        }),
      );
      expect(sim.requests('listSecretsV4').map(r => r.status)).toEqual([
        429, 429, 200,
      ]);
      expect(JSON.stringify(sim.requests())).not.toContain(t);
    });

    it('should drop pending faults on clearFaults', async () => {
      const { sim, call, token, projectId } = setup();
      sim.injectFault({ route: 'listSecretsV4', status: 500, times: Infinity });
      sim.clearFaults();
      const response = await call(
        'GET',
        `/v4/secrets?projectId=${projectId}&environment=prod`,
        { token: await token() },
      );
      expect(response.status).toBe(200);
    });
  });

  describe('startInfisicalSimulatorServer', () => {
    it('should serve the simulator over HTTP on 127.0.0.1', async () => {
      const { sim } = setup();
      const server = await startInfisicalSimulatorServer({ simulator: sim });
      try {
        const response = await fetch(
          `http://127.0.0.1:${server.port}/api/v1/auth/universal-auth/login`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              clientId: 'client-1',
              clientSecret: 'secret-1',
            }),
          },
        );
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual(
          expect.objectContaining({ tokenType: 'Bearer', expiresIn: 60 }),
        );
        expect(server.url).toBe(`http://localhost:${server.port}`);
      } finally {
        await server.close();
      }
    });
  });
});
