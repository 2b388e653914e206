/* eslint-disable jest/no-export, jest/valid-title -- a shared suite: InfisicalContract.test.ts (simulator) and infisicalContract.test.live.ts (a real server) both run it, with their own titles */
import { createHash } from 'node:crypto';

/**
 * Where the contract suite runs: the simulator on loopback, or a real
 * Infisical (see the module README, "Contract suite").
 */
export type ContractTarget = {
  /** Base URL without `/api`, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** A Universal Auth identity with read access (a Viewer) on the project. */
  clientId: string;
  clientSecret: string;
  projectSlug: string;
  /** Used when the server serves no project-lookup route. */
  projectId?: string;
  environment: string;
  /** The tag slug put on `/app/API_TOKEN` (and on no other secret of /app). */
  tag: string;
};

/**
 * The fixture every target holds, in `environment`:
 * - `/ROOT_GREETING`
 * - `/app/API_TOKEN` (tagged `tag`), `/app/DB_HOST`,
 *   `/app/DSN` = `postgres://${DB_HOST}:5432/app`
 * - `/app` imports `/shared`, which holds `SHARED_KEY`.
 */
export const CONTRACT_FIXTURE = {
  rootKey: 'ROOT_GREETING',
  folder: '/app',
  taggedKey: 'API_TOKEN',
  hostKey: 'DB_HOST',
  referenceKey: 'DSN',
  referenceTemplate: (host: string) => `postgres://${host}:5432/app`,
  importedFolder: '/shared',
  importedKey: 'SHARED_KEY',
} as const;

type Answer = {
  status: number;
  headers: Headers;
  text: string;
  body: any;
};

/** Project-lookup routes, in the provider's order (client/InfisicalApi.ts). */
const LOOKUP_PATHS = [
  (slug: string) => `/api/v1/projects/slug/${encodeURIComponent(slug)}`,
  (slug: string) => `/api/v2/workspace/${encodeURIComponent(slug)}`,
  (slug: string) => `/api/v1/workspace/slug/${encodeURIComponent(slug)}`,
];

/**
 * A raw HTTP client for the contract: no retries, no parsing beyond JSON, so
 * the assertions see exactly what the server answered.
 */
export class ContractClient {
  constructor(readonly target: ContractTarget) {}

  async call(
    method: string,
    path: string,
    init: { token?: string; body?: unknown; ifNoneMatch?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.ifNoneMatch) headers['if-none-match'] = init.ifNoneMatch;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.target.url}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  login(
    clientId = this.target.clientId,
    clientSecret = this.target.clientSecret,
  ) {
    return this.call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId, clientSecret },
    });
  }

  async token(): Promise<string> {
    const answer = await this.login();
    if (answer.status !== 200)
      throw new Error(`login answered HTTP ${answer.status}: ${answer.text}`);
    return answer.body.accessToken;
  }

  /** The project id through the lookup routes, or the configured one. */
  async projectId(token: string): Promise<string> {
    for (const path of LOOKUP_PATHS) {
      const answer = await this.call('GET', path(this.target.projectSlug), {
        token,
      });
      const id =
        answer.body?.id ??
        answer.body?.project?.id ??
        answer.body?.workspace?.id;
      if (answer.status === 200 && typeof id === 'string') return id;
    }
    if (this.target.projectId) return this.target.projectId;
    throw new Error(
      'no project-lookup route answered; set INFISICAL_TEST_PROJECT_ID',
    );
  }

  listPath(projectId: string, params: Record<string, string> = {}): string {
    const query = new URLSearchParams({
      workspaceId: projectId,
      environment: this.target.environment,
      secretPath: CONTRACT_FIXTURE.folder,
      ...params,
    });
    return `/api/v3/secrets/raw?${query}`;
  }

  getPath(
    projectId: string,
    name: string,
    params: Record<string, string> = {},
  ): string {
    const query = new URLSearchParams({
      workspaceId: projectId,
      environment: this.target.environment,
      secretPath: CONTRACT_FIXTURE.folder,
      ...params,
    });
    return `/api/v3/secrets/raw/${encodeURIComponent(name)}?${query}`;
  }
}

/** The strong ETag the recorded server sends: `"<base64 sha1 of the body>"`. */
export function expectedEtag(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64')}"`;
}

const keysOf = (answer: Answer): string[] =>
  (answer.body?.secrets ?? []).map((s: { secretKey: string }) => s.secretKey);

/**
 * The contract: what a real Infisical was recorded answering
 * (docs/infisical-recorded.md), asserted through plain HTTP.
 * The simulator must pass it in every test run; a real server passes it when
 * pointed at (`yarn workspace ... test:contract-live`). Values are compared,
 * never printed.
 */
export function describeInfisicalContract(
  title: string,
  getTarget: () => ContractTarget,
): void {
  describe(title, () => {
    let client: ContractClient;
    let token: string;
    let projectId: string;

    beforeAll(async () => {
      client = new ContractClient(getTarget());
      token = await client.token();
      projectId = await client.projectId(token);
    });

    describe('auth', () => {
      it('logs in with Universal Auth: accessToken, expiresIn, accessTokenMaxTTL, tokenType Bearer, and an ETag', async () => {
        const answer = await client.login();
        expect(answer.status).toBe(200);
        expect(Object.keys(answer.body).sort()).toEqual([
          'accessToken',
          'accessTokenMaxTTL',
          'expiresIn',
          'tokenType',
        ]);
        expect(answer.body.tokenType).toBe('Bearer');
        expect(answer.headers.get('etag')).toBe(expectedEtag(answer.text));
      });

      it('answers a wrong client secret with 401 "Invalid credentials"', async () => {
        const answer = await client.login(
          client.target.clientId,
          'contract-suite-wrong-secret',
        );
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({
          statusCode: 401,
          message: 'Invalid credentials',
          error: 'UnauthorizedError',
        });
      });

      it('answers an unknown clientId with 404 NotFound', async () => {
        const answer = await client.login(
          '00000000-0000-4000-8000-000000000000',
          'contract-suite-wrong-secret',
        );
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual({
          statusCode: 404,
          message: 'No identity with specified client ID was found',
          error: 'NotFound',
        });
      });
    });

    describe('list', () => {
      it('lists a folder with each secret path, without `imports` unless asked', async () => {
        const answer = await client.call('GET', client.listPath(projectId), {
          token,
        });
        expect(answer.status).toBe(200);
        expect(Object.keys(answer.body)).toEqual(['secrets']);
        expect(keysOf(answer)).toEqual(
          expect.arrayContaining([
            CONTRACT_FIXTURE.taggedKey,
            CONTRACT_FIXTURE.hostKey,
          ]),
        );
        for (const secret of answer.body.secrets)
          expect(secret.secretPath).toBe(CONTRACT_FIXTURE.folder);
      });

      it('lists an unknown environment or folder as 200 {secrets: [], imports: []}', async () => {
        const environment = await client.call(
          'GET',
          client.listPath(projectId, {
            environment: 'contract-no-such-env',
            secretPath: '/',
          }),
          { token },
        );
        const folder = await client.call(
          'GET',
          client.listPath(projectId, {
            secretPath: '/contract/no/such/folder',
          }),
          { token },
        );
        for (const answer of [environment, folder]) {
          expect(answer.status).toBe(200);
          expect(answer.body).toEqual({ secrets: [], imports: [] });
          expect(answer.headers.get('etag')).toBe(
            '"POg/gpf66KRdPWxjgZJkjz2p5M4="',
          );
        }
      });
    });

    describe('single get', () => {
      it('reads one secret by name', async () => {
        const answer = await client.call(
          'GET',
          client.getPath(projectId, CONTRACT_FIXTURE.taggedKey),
          { token },
        );
        expect(answer.status).toBe(200);
        expect(answer.body.secret.secretKey).toBe(CONTRACT_FIXTURE.taggedKey);
      });

      it('tells a missing key (in an existing folder) from a missing folder or environment', async () => {
        const key = await client.call(
          'GET',
          client.getPath(projectId, 'NOPE'),
          { token },
        );
        const environment = await client.call(
          'GET',
          client.getPath(projectId, 'NOPE', {
            environment: 'contract-no-such-env',
            secretPath: '/',
          }),
          { token },
        );
        expect(key.status).toBe(404);
        expect(key.body).toEqual({
          statusCode: 404,
          message: "Secret with name 'NOPE' not found",
          error: 'NotFound',
        });
        expect(key.headers.get('etag')).toBe('"AzM845K80T452eTBheGJ2yHVaew="');
        expect(environment.status).toBe(404);
        expect(environment.body.message).toBe(
          "Folder with path '/' in environment with slug 'contract-no-such-env' not found",
        );
      });
    });

    describe('ETag / 304', () => {
      it('sends a strong ETag (quoted base64 sha1 of the body), stable across identical requests', async () => {
        const path = client.listPath(projectId);
        const first = await client.call('GET', path, { token });
        const second = await client.call('GET', path, { token });
        expect(first.headers.get('etag')).toBe(expectedEtag(first.text));
        expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      });

      it('answers an exact If-None-Match with 304, an empty body and the recorded headers', async () => {
        const path = client.listPath(projectId);
        const first = await client.call('GET', path, { token });
        const etag = first.headers.get('etag')!;
        const again = await client.call('GET', path, {
          token,
          ifNoneMatch: etag,
        });
        expect(again.status).toBe(304);
        expect(again.text).toBe('');
        expect(again.headers.get('etag')).toBe(etag);
        expect(again.headers.get('vary')).toBe('Origin');
        expect(again.headers.get('content-type')).toBe(
          'application/json; charset=utf-8',
        );
      });

      it('compares If-None-Match as an exact string: a W/ tag or a list answers 200', async () => {
        const path = client.listPath(projectId);
        const etag = (await client.call('GET', path, { token })).headers.get(
          'etag',
        )!;
        const weak = await client.call('GET', path, {
          token,
          ifNoneMatch: `W/${etag}`,
        });
        const list = await client.call('GET', path, {
          token,
          ifNoneMatch: `"zzz", ${etag}`,
        });
        expect(weak.status).toBe(200);
        expect(list.status).toBe(200);
      });

      it('answers 304 even for a matching 404 body', async () => {
        const path = client.getPath(projectId, 'NOPE');
        const first = await client.call('GET', path, { token });
        const again = await client.call('GET', path, {
          token,
          ifNoneMatch: first.headers.get('etag')!,
        });
        expect(first.status).toBe(404);
        expect(again.status).toBe(304);
      });
    });

    describe('errors', () => {
      const listWith = (headers: { token?: string }) =>
        client.call('GET', client.listPath(projectId), headers);

      it('answers a missing token with 401 "Token missing"', async () => {
        const answer = await listWith({});
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({
          statusCode: 401,
          message: 'Token missing',
          error: 'UnauthorizedError',
        });
      });

      it('answers a malformed token with 403 TokenError', async () => {
        const answer = await listWith({ token: 'not-a-jwt' });
        expect(answer.status).toBe(403);
        expect(answer.body.error).toBe('TokenError');
        expect(answer.headers.get('etag')).toBe(
          '"5Z/XhTSOZAAxvjyEkz2uZiYDHck="',
        );
      });

      it('answers an unknown project slug with 500 "Failed to find project by slug"', async () => {
        const query = new URLSearchParams({
          workspaceSlug: 'contract-no-such-project',
          environment: client.target.environment,
          secretPath: '/',
        });
        const answer = await client.call(
          'GET',
          `/api/v3/secrets/raw?${query}`,
          { token },
        );
        expect(answer.status).toBe(500);
        expect(answer.body.error).toBe('Failed to find project by slug');
      });

      it('answers a viewer that writes with 403 PermissionDenied', async () => {
        const answer = await client.call(
          'POST',
          '/api/v3/secrets/raw/CONTRACT_SHOULD_FAIL',
          {
            token,
            body: {
              workspaceId: projectId,
              environment: client.target.environment,
              secretPath: CONTRACT_FIXTURE.folder,
              secretValue: 'x',
            },
          },
        );
        expect(answer.status).toBe(403);
        expect(answer.body).toEqual({
          statusCode: 403,
          message: 'You are not allowed to create on secrets',
          error: 'PermissionDenied',
        });
      });

      it('never puts a reqId in error bodies', async () => {
        const answer = await listWith({});
        expect(Object.keys(answer.body).sort()).toEqual([
          'error',
          'message',
          'statusCode',
        ]);
      });
    });

    describe('renew and revoke', () => {
      it('renews a token with the same four fields', async () => {
        const own = await client.token();
        const answer = await client.call('POST', '/api/v1/auth/token/renew', {
          body: { accessToken: own },
        });
        expect(answer.status).toBe(200);
        expect(Object.keys(answer.body).sort()).toEqual([
          'accessToken',
          'accessTokenMaxTTL',
          'expiresIn',
          'tokenType',
        ]);
      });

      it('revokes a token; the revoked token gets 401 "No identity access token found"', async () => {
        const own = await client.token();
        const revoked = await client.call('POST', '/api/v1/auth/token/revoke', {
          body: { accessToken: own },
        });
        const after = await client.call('GET', client.listPath(projectId), {
          token: own,
        });
        expect(revoked.status).toBe(200);
        expect(revoked.body).toEqual({
          message: 'Successfully revoked access token',
        });
        expect(after.status).toBe(401);
        expect(after.body.message).toBe('No identity access token found');
      });
    });

    describe('tags, recursion, imports, references', () => {
      it('filters by tag slug', async () => {
        const answer = await client.call(
          'GET',
          client.listPath(projectId, { tagSlugs: client.target.tag }),
          { token },
        );
        expect(answer.status).toBe(200);
        expect(keysOf(answer)).toEqual([CONTRACT_FIXTURE.taggedKey]);
        expect(
          answer.body.secrets[0].tags.map((t: { slug: string }) => t.slug),
        ).toContain(client.target.tag);
      });

      it('lists recursively from / with each secret path', async () => {
        const answer = await client.call(
          'GET',
          client.listPath(projectId, { secretPath: '/', recursive: 'true' }),
          { token },
        );
        const paths = Object.fromEntries(
          answer.body.secrets.map(
            (s: { secretKey: string; secretPath: string }) => [
              s.secretKey,
              s.secretPath,
            ],
          ),
        );
        expect(paths[CONTRACT_FIXTURE.rootKey]).toBe('/');
        expect(paths[CONTRACT_FIXTURE.taggedKey]).toBe(CONTRACT_FIXTURE.folder);
      });

      it('returns imports with include_imports', async () => {
        const answer = await client.call(
          'GET',
          client.listPath(projectId, { include_imports: 'true' }),
          { token },
        );
        const imported = answer.body.imports.find(
          (i: { secretPath: string }) =>
            i.secretPath === CONTRACT_FIXTURE.importedFolder,
        );
        expect(imported.environment).toBe(client.target.environment);
        expect(
          imported.secrets.map((s: { secretKey: string }) => s.secretKey),
        ).toContain(CONTRACT_FIXTURE.importedKey);
      });

      it('expands secret references only when asked', async () => {
        const host = await client.call(
          'GET',
          client.getPath(projectId, CONTRACT_FIXTURE.hostKey),
          { token },
        );
        const read = (expand: boolean) =>
          client.call(
            'GET',
            client.getPath(projectId, CONTRACT_FIXTURE.referenceKey, {
              expandSecretReferences: String(expand),
            }),
            { token },
          );
        const expanded = (await read(true)).body.secret.secretValue;
        const raw = (await read(false)).body.secret.secretValue;
        // Compared, never printed: a failure shows only the booleans.
        expect({
          expanded:
            expanded ===
            CONTRACT_FIXTURE.referenceTemplate(host.body.secret.secretValue),
          raw:
            raw ===
            CONTRACT_FIXTURE.referenceTemplate(
              `\${${CONTRACT_FIXTURE.hostKey}}`,
            ),
        }).toEqual({ expanded: true, raw: true });
      });
    });
  });
}
