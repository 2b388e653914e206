/**
 * One test per row of the difference table in
 * plugins/external-secrets-backend-module-infisical/docs/infisical-recorded.md
 * ("Observed with the project's own
 * provider against the same real server"): the simulator gives the answer a
 * real Infisical server was recorded giving. ETags are the recorded strings:
 * the bodies are byte-identical, so the sha1 is too.
 */
import { InfisicalSimulator } from './InfisicalSimulator';
import type { SimulatorOptions, SimulatorResponse } from './types';

const BASE = 'https://sim.test/api';
const RECORDED_HEADERS = {
  vary: 'Origin',
  'content-type': 'application/json; charset=utf-8',
};

function setup(options: SimulatorOptions = {}) {
  let now = Date.UTC(2026, 11, 6);
  const sim = new InfisicalSimulator({ now: () => now, ...options });
  const projectId = sim.addProject({
    slug: 'ci-project',
    environments: ['dev'],
  });
  sim.setSecret({
    project: 'ci-project',
    environment: 'dev',
    path: '/app',
    key: 'DB_HOST',
    value: 'db.example.invalid',
  });
  sim.addUniversalAuthIdentity({
    identityId: 'reader',
    clientId: 'reader-client',
    clientSecret: 'reader-secret',
    token: { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 },
  });
  sim.grant('reader', 'ci-project');
  const call = async (
    method: string,
    path: string,
    init: { body?: unknown; token?: string; ifNoneMatch?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.ifNoneMatch) headers['if-none-match'] = init.ifNoneMatch;
    return answer(
      await sim.handle({
        method,
        url: `${BASE}${path}`,
        headers,
        body: init.body,
      }),
    );
  };
  const login = (clientId = 'reader-client', clientSecret = 'reader-secret') =>
    call('POST', '/v1/auth/universal-auth/login', {
      body: { clientId, clientSecret },
    });
  const token = async () => (await login()).body.accessToken as string;
  const v3List = (query: string) => `/v3/secrets/raw?${query}`;
  return {
    sim,
    projectId,
    call,
    login,
    token,
    v3List,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function answer(response: SimulatorResponse) {
  if ('networkError' in response) throw new Error('network error');
  return response as {
    status: number;
    headers: Record<string, string>;
    body: any;
  };
}

describe('InfisicalSimulator answers as the recorded real server', () => {
  it('project lookup: 2024-10 serves only /api/v2/workspace/:slug (top-level id); current serves /api/v1/projects/slug/:slug', async () => {
    const old = setup({ profile: '2024-10' });
    const current = setup();
    const oldToken = await old.token();
    const currentToken = await current.token();

    const v1Projects = await old.call('GET', '/v1/projects/slug/ci-project', {
      token: oldToken,
    });
    const v1Workspace = await old.call('GET', '/v1/workspace/slug/ci-project', {
      token: oldToken,
    });
    const v2 = await old.call('GET', '/v2/workspace/ci-project', {
      token: oldToken,
    });

    expect(v1Projects.body).toEqual({
      message: 'Route GET:/api/v1/projects/slug/ci-project not found',
      error: 'Not Found',
      statusCode: 404,
    });
    expect(v1Workspace.status).toBe(404);
    expect(v2.status).toBe(200);
    expect(v2.body.id).toBe(old.projectId);
    const upstream = await current.call('GET', '/v1/projects/slug/ci-project', {
      token: currentToken,
    });
    expect(upstream.body.id).toBe(current.projectId);
  });

  it('ETag encoding: the quoted standard base64 (with padding) of the body sha1', async () => {
    const { call, projectId } = setup();
    const missing = await call(
      'GET',
      `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`,
    );
    expect(missing.headers.etag).toBe('"gY1eIzO+yQMxlpDCOOUBDxmHjFk="');
  });

  it('which responses carry an ETag: every one, POST login and 401/404/500 errors included; a matching 404 body answers 304', async () => {
    const { call, login, token, projectId } = setup({ profile: '2024-10' });
    const t = await token();
    const loggedIn = await login();
    const wrongSecret = await login('reader-client', '0000');
    const unknownProject = await call(
      'GET',
      '/v3/secrets/raw?workspaceSlug=nope&environment=dev&secretPath=/',
      { token: t },
    );
    const path = `/v3/secrets/raw/NOPE?workspaceId=${projectId}&environment=dev&secretPath=/app`;
    const notFound = await call('GET', path, { token: t });
    const again = await call('GET', path, {
      token: t,
      ifNoneMatch: notFound.headers.etag,
    });

    expect(loggedIn.headers.etag).toMatch(/^"[A-Za-z0-9+/]{27}="$/);
    expect(wrongSecret.headers.etag).toBe('"qaf2p8W9fJARfGfvCcc3ZpNPP4M="');
    expect(unknownProject.status).toBe(500);
    expect(unknownProject.headers.etag).toMatch(/^".+="$/);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.etag).toBe('"AzM845K80T452eTBheGJ2yHVaew="');
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
  });

  it('304 headers: vary, content-type, etag and content-length 0; W/ tags and lists do not match', async () => {
    const { call, token, projectId } = setup();
    const t = await token();
    const path = `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`;
    const first = await call('GET', path, { token: t });
    const etag = first.headers.etag;
    const exact = await call('GET', path, { token: t, ifNoneMatch: etag });
    const weak = await call('GET', path, {
      token: t,
      ifNoneMatch: `W/${etag}`,
    });
    const list = await call('GET', path, {
      token: t,
      ifNoneMatch: `"zzz", ${etag}`,
    });

    expect(exact).toEqual({
      status: 304,
      headers: { ...RECORDED_HEADERS, etag, 'content-length': '0' },
    });
    expect(weak.status).toBe(200);
    expect(list.status).toBe(200);
    expect(first.headers).toEqual({ ...RECORDED_HEADERS, etag });
  });

  it('reqId in error bodies: never; bodies carry statusCode, message and error', async () => {
    const { call, projectId } = setup();
    const response = await call(
      'GET',
      `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`,
    );
    expect(response.body).toEqual({
      statusCode: 401,
      message: 'Token missing',
      error: 'UnauthorizedError',
    });
  });

  it.each(['current', '2024-10'] as const)(
    'unknown environment (%s): the list answers 200 {secrets: [], imports: []}, the single get 404 naming folder and environment',
    async profile => {
      const { call, token, projectId } = setup({ profile });
      const t = await token();
      const listed = await call(
        'GET',
        `/v3/secrets/raw?workspaceId=${projectId}&environment=nope&secretPath=/`,
        { token: t },
      );
      const folder = await call(
        'GET',
        `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/does/not/exist`,
        { token: t },
      );
      const single = await call(
        'GET',
        `/v3/secrets/raw/API_TOKEN?workspaceId=${projectId}&environment=nope&secretPath=/`,
        { token: t },
      );

      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({ secrets: [], imports: [] });
      expect(listed.headers.etag).toBe('"POg/gpf66KRdPWxjgZJkjz2p5M4="');
      expect(folder.headers.etag).toBe('"POg/gpf66KRdPWxjgZJkjz2p5M4="');
      expect(single.status).toBe(404);
      expect(single.body.message).toBe(
        "Folder with path '/' in environment with slug 'nope' not found",
      );
    },
  );

  it('unknown project slug (v3 list): 500 "Failed to find project by slug"', async () => {
    const { call, token } = setup({ profile: '2024-10' });
    const response = await call(
      'GET',
      '/v3/secrets/raw?workspaceSlug=no-such-project&environment=dev&secretPath=/',
      { token: await token() },
    );
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      message: 'Something went wrong',
      error: 'Failed to find project by slug',
    });
  });

  it('expired token: 401 UnauthorizedError "Failed to renew MI access token due to TTL expiration"', async () => {
    const { call, token, advance, projectId } = setup();
    const t = await token();
    advance(3_601_000);
    const response = await call(
      'GET',
      `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`,
      { token: t },
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      message: 'Failed to renew MI access token due to TTL expiration',
      error: 'UnauthorizedError',
    });
  });

  it('revoked token: 401 "No identity access token found" (and the revoke answer as recorded)', async () => {
    const { call, token, projectId } = setup();
    const t = await token();
    const revoked = await call('POST', '/v1/auth/token/revoke', {
      body: { accessToken: t },
    });
    const response = await call(
      'GET',
      `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`,
      { token: t },
    );
    expect(revoked.body).toEqual({
      message: 'Successfully revoked access token',
    });
    expect(revoked.headers.etag).toBe('"OR46w+SqkZFLfsZcU+2WYxcgbAs="');
    expect(response.status).toBe(401);
    expect(response.headers.etag).toBe('"Q4o3qrbzbFzk5U7pivqxCUs8MME="');
  });

  it('malformed token: 403 TokenError "The provided access token is malformed"', async () => {
    const { call, projectId } = setup();
    const response = await call(
      'GET',
      `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`,
      { token: 'not-a-jwt' },
    );
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('TokenError');
    expect(response.headers.etag).toBe('"5Z/XhTSOZAAxvjyEkz2uZiYDHck="');
  });

  it('missing token: 401 "Token missing"', async () => {
    const { call, projectId } = setup();
    const response = await call(
      'GET',
      `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`,
    );
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('Token missing');
  });

  it('unknown clientId at login: 404 NotFound; a wrong secret stays 401 "Invalid credentials"', async () => {
    const { login } = setup();
    const unknown = await login('no-such-client', 'reader-secret');
    const wrong = await login('reader-client', '0000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      statusCode: 404,
      message: 'No identity with specified client ID was found',
      error: 'NotFound',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Invalid credentials');
  });

  it('imports key: absent from a list made without include_imports', async () => {
    const { call, token, projectId } = setup();
    const t = await token();
    const base = `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`;
    const without = await call('GET', base, { token: t });
    const withImports = await call('GET', `${base}&include_imports=true`, {
      token: t,
    });
    expect(Object.keys(without.body)).toEqual(['secrets']);
    expect(withImports.body.imports).toEqual([]);
  });

  it('login lockout: none on 2024-10; after 3 failures on current; configurable', async () => {
    const failFour = async (sim: ReturnType<typeof setup>) => {
      for (let i = 0; i < 4; i++) await sim.login('reader-client', 'wrong');
      return (await sim.login()).status;
    };
    expect(await failFour(setup({ profile: '2024-10' }))).toBe(200);
    expect(await failFour(setup())).toBe(401);
    expect(await failFour(setup({ loginLockout: false }))).toBe(200);
    expect(await failFour(setup({ profile: '2024-10', loginLockout: 3 }))).toBe(
      401,
    );
  });

  it('v4 routes on 2024-10: fastify 404 "Route GET:<path with query> not found"', async () => {
    const { call, token, projectId } = setup({ profile: '2024-10' });
    const path = `/v4/secrets?projectId=${projectId}&environment=dev&secretPath=/app`;
    const response = await call('GET', path, { token: await token() });
    expect(response.body).toEqual({
      message: `Route GET:/api${path} not found`,
      error: 'Not Found',
      statusCode: 404,
    });
  });

  describe('v3 write routes', () => {
    it('answers a viewer with the recorded 403 and changes nothing', async () => {
      const { sim, call, token, projectId } = setup();
      const response = await call('POST', '/v3/secrets/raw/SHOULD_FAIL', {
        token: await token(),
        body: {
          workspaceId: projectId,
          environment: 'dev',
          secretPath: '/app',
          secretValue: 'x',
        },
      });
      expect(response.status).toBe(403);
      expect(response.headers.etag).toBe('"BW3RmogLB9qZgyOi4ZhPQoBig0o="');
      expect(
        sim.secret({
          project: 'ci-project',
          environment: 'dev',
          path: '/app',
          key: 'SHOULD_FAIL',
        }),
      ).toBeUndefined();
    });

    it('creates, updates (new version and ETag) and deletes for real', async () => {
      const { sim, call, token, projectId } = setup();
      sim.grant('reader', 'ci-project', { write: true });
      const t = await token();
      const where = {
        workspaceId: projectId,
        environment: 'dev',
        secretPath: '/app',
      };
      const list = `/v3/secrets/raw?workspaceId=${projectId}&environment=dev&secretPath=/app`;
      const before = await call('GET', list, { token: t });
      const created = await call('POST', '/v3/secrets/raw/NEW_KEY', {
        token: t,
        body: { ...where, secretValue: 'one' },
      });
      const duplicate = await call('POST', '/v3/secrets/raw/NEW_KEY', {
        token: t,
        body: { ...where, secretValue: 'one' },
      });
      const updated = await call('PATCH', '/v3/secrets/raw/DB_HOST', {
        token: t,
        body: { ...where, secretValue: 'db2.example.invalid' },
      });
      const afterUpdate = await call('GET', list, {
        token: t,
        ifNoneMatch: before.headers.etag,
      });
      const deleted = await call('DELETE', '/v3/secrets/raw/NEW_KEY', {
        token: t,
        body: where,
      });
      const deletedAgain = await call('DELETE', '/v3/secrets/raw/NEW_KEY', {
        token: t,
        body: where,
      });

      expect(created.status).toBe(200);
      expect(created.body.secret.secretKey).toBe('NEW_KEY');
      expect(created.headers.etag).toMatch(/^".+="$/);
      expect(duplicate.status).toBe(400);
      expect(updated.body.secret.version).toBe(2);
      expect(afterUpdate.status).toBe(200);
      expect(afterUpdate.headers.etag).not.toBe(before.headers.etag);
      expect(deleted.status).toBe(200);
      expect(deletedAgain.status).toBe(404);
      expect(
        sim.secret({
          project: 'ci-project',
          environment: 'dev',
          path: '/app',
          key: 'NEW_KEY',
        }),
      ).toBeUndefined();
      expect(
        sim.secret({
          project: 'ci-project',
          environment: 'dev',
          path: '/app',
          key: 'DB_HOST',
        }),
      ).toEqual({ value: 'db2.example.invalid', version: 2 });
    });
  });
});
