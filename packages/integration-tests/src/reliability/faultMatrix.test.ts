import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import request from 'supertest';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';
import {
  CHECKOUT,
  CLIENT_ID,
  CLIENT_SECRET,
  endpointsOf,
  externalSecret,
  NS,
  pluginConfig,
  ReliabilityWorld,
  secretData,
  secretWrites,
  setRemote,
  startReliabilityWorld,
  STATUS_PATH,
} from './__testUtils__/reliabilityWorld';
import {
  createPostgresTestDatabase,
  PostgresTestDatabase,
} from './__testUtils__/postgresTestDatabase';
import { useSteppableClock } from './__testUtils__/steppableClock';

jest.setTimeout(60_000);

/** The Infisical folder the ExternalSecret reads; one scenario deletes it. */
const FOLDER = '/app';
const OLD = { password: 'old-password-canary-1', user: 'app' };
const NEW_PASSWORD = 'new-password-canary-2';

type Scenario = {
  /** Row name, used as the test name and in docs/reliability.md. */
  scenario: string;
  inject(world: ReliabilityWorld): void | Promise<void>;
  clear(world: ReliabilityWorld): void | Promise<void>;
  /** What the mapping's message must name while the fault lasts. */
  cause: RegExp;
  /** errorType of the keys: set for provider reads, absent for cluster writes. */
  errorType?: string;
  /** Simulated time the fault needs to clear (lockouts), beyond the backoff. */
  clearsAfterMs?: number;
};

/** Three failed logins with a wrong secret within 30 s: Infisical's lockout. */
async function lockOut(world: ReliabilityWorld) {
  for (let i = 0; i < 3; i++) {
    await fetch(
      `${world.infisicalServer.url}/api/v1/auth/universal-auth/login`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: CLIENT_ID, clientSecret: 'wrong' }),
      },
    );
  }
  expect(world.infisical.isLockedOut(CLIENT_ID)).toBe(true);
}

const SCENARIOS: Scenario[] = [
  {
    scenario: 'Infisical down (connection refused)',
    inject: world => world.stopInfisical(),
    clear: world => world.restartInfisical(),
    cause: /ECONNREFUSED|fetch failed|unreachable/i,
    errorType: 'UNAVAILABLE',
  },
  {
    scenario: 'Infisical slower than requestTimeout',
    inject: world =>
      world.infisical.injectFault({
        route: 'listSecretsV4',
        latencyMs: 1_500,
        times: Infinity,
      }),
    clear: world => world.infisical.clearFaults(),
    cause: /did not answer in time|timed? ?out/i,
    errorType: 'TIMEOUT',
  },
  {
    scenario: 'Infisical 5xx burst longer than the retries',
    inject: world =>
      world.infisical.injectFault({
        route: 'listSecretsV4',
        status: 503,
        times: Infinity,
      }),
    clear: world => world.infisical.clearFaults(),
    cause: /HTTP 503: Injected 503/,
    errorType: 'UNAVAILABLE',
  },
  {
    scenario: 'Infisical 429 storm with Retry-After',
    inject: world =>
      world.infisical.injectFault({
        route: 'listSecretsV4',
        status: 429,
        headers: { 'retry-after': '1' },
        times: Infinity,
      }),
    clear: world => world.infisical.clearFaults(),
    cause: /HTTP 429: Injected 429/,
    errorType: 'RATE_LIMITED',
  },
  {
    scenario: 'Infisical access token rejected on every data call',
    inject: world =>
      world.infisical.injectFault({
        route: 'listSecretsV4',
        status: 401,
        error: 'TokenError',
        message: 'Token expired',
        times: Infinity,
      }),
    clear: world => world.infisical.clearFaults(),
    cause: /HTTP 401: Token expired/,
    errorType: 'TOKEN_EXPIRED',
  },
  {
    scenario: 'Infisical login lockout after the cached token is revoked',
    inject: async world => {
      world.infisical.revokeTokensOf(world.identityId);
      await lockOut(world);
    },
    clear: () => undefined,
    cause: /temporarily locked/,
    errorType: 'AUTH_FAILED',
    clearsAfterMs: 301_000,
  },
  {
    scenario: 'Infisical folder suddenly gone (lists empty)',
    inject: world =>
      world.infisical.deleteFolder({
        project: 'archon-platform',
        environment: 'prod',
        path: FOLDER,
      }),
    clear: world => {
      setRemote(world, 'DB_PASSWORD', NEW_PASSWORD, FOLDER);
      setRemote(world, 'DB_USER', OLD.user, FOLDER);
    },
    cause: /folder/i,
    errorType: 'FOLDER_NOT_FOUND',
  },
  {
    scenario: 'cluster unreachable (every connection reset)',
    inject: world => world.kubernetes.injectFault({ dropConnection: true }),
    clear: world => world.kubernetes.clearFaults(),
    cause: /cluster test could not be read/,
  },
  {
    scenario: 'cluster RBAC forbids updating Secrets (403)',
    inject: world =>
      world.kubernetes.injectFault({
        verb: 'update',
        resource: 'secrets',
        status: 403,
      }),
    clear: world => world.kubernetes.clearFaults(),
    cause: /could not write Secret payments\/db: .*(403|forbidden)/i,
  },
  {
    scenario: 'cluster 409 conflict storm on the Secret',
    inject: world =>
      world.kubernetes.injectFault({
        verb: 'update',
        resource: 'secrets',
        status: 409,
      }),
    clear: world => world.kubernetes.clearFaults(),
    cause: /could not write Secret payments\/db: .*(409|conflict|modified)/i,
  },
  {
    scenario: 'cluster 5xx on Secret writes',
    inject: world =>
      world.kubernetes.injectFault({
        verb: 'update',
        resource: 'secrets',
        status: 500,
      }),
    clear: world => world.kubernetes.clearFaults(),
    cause: /could not write Secret payments\/db: .*500/i,
  },
];

/** Faults the retries and the single re-login absorb within the cycle. */
const ABSORBED: Pick<Scenario, 'scenario' | 'inject'>[] = [
  {
    scenario: 'Infisical access token expired while cached (one re-login)',
    inject: world => world.infisical.revokeTokensOf(world.identityId),
  },
  {
    scenario: 'Infisical 503 burst shorter than the retries',
    inject: world =>
      world.infisical.injectFault({ route: 'listSecretsV4', status: 503 }),
  },
  {
    scenario: 'Infisical single 429 with Retry-After: 1',
    inject: world =>
      world.infisical.injectFault({
        route: 'listSecretsV4',
        status: 429,
        headers: { 'retry-after': '1' },
      }),
  },
];

describe('fault matrix: Infisical and Kubernetes faults end to end', () => {
  let world: ReliabilityWorld;
  let backend: IntegrationBackend | undefined;
  const clock = useSteppableClock();

  beforeEach(async () => {
    world = await startReliabilityWorld();
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await world.stop();
  });

  async function statusRow() {
    const res = await request(backend!.server).get(STATUS_PATH);
    expect(res.status).toBe(200);
    const rows = res.body.externalSecrets as any[];
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  async function startSynced() {
    setRemote(world, 'DB_PASSWORD', OLD.password, FOLDER);
    setRemote(world, 'DB_USER', OLD.user, FOLDER);
    world.kubernetes.seed(
      externalSecret('db', ['app/DB_PASSWORD', 'app/DB_USER'], {
        deletionPolicy: 'Delete',
      }),
    );
    backend = await startIntegrationBackend({
      sim: world.kubernetes,
      entities: [CHECKOUT],
      config: pluginConfig(endpointsOf(world)),
      extraFeatures: [infisicalModule],
    });
    await backend.runCycle();
    expect(secretData(world.kubernetes, 'db')).toEqual({
      db_password: OLD.password,
      db_user: OLD.user,
    });
    return backend;
  }

  it.each(ABSORBED)(
    'should absorb the fault within the cycle and sync the change: $scenario',
    async ({ inject }) => {
      const b = await startSynced();
      setRemote(world, 'DB_PASSWORD', NEW_PASSWORD, FOLDER);
      clock.advance(61_000);
      await inject(world);
      world.kubernetes.clearRequests();
      await b.runCycle();
      expect(secretData(world.kubernetes, 'db')).toEqual({
        db_password: NEW_PASSWORD,
        db_user: OLD.user,
      });
      expect(secretWrites(world.kubernetes)).toHaveLength(1);
      expect(await statusRow()).toMatchObject({ state: 'Synced' });
    },
  );

  it.each(SCENARIOS)(
    'should keep the Secret, record the cause and recover in one due cycle: $scenario',
    async ({ inject, clear, cause, errorType, clearsAfterMs }) => {
      const b = await startSynced();
      // A change is waiting upstream and the refresh is due when the fault hits.
      setRemote(world, 'DB_PASSWORD', NEW_PASSWORD, FOLDER);
      clock.advance(61_000);
      await inject(world);
      world.kubernetes.clearRequests();
      await b.runCycle();

      expect(secretData(world.kubernetes, 'db')).toEqual({
        db_password: OLD.password,
        db_user: OLD.user,
      });
      expect(
        secretWrites(world.kubernetes).filter(w => w.verb === 'delete'),
      ).toEqual([]);
      const failing = await statusRow();
      expect(failing.state).toBe('Error');
      expect(failing.message).toMatch(cause);
      expect(failing.keys.map((k: any) => k.errorType)).toEqual([
        errorType,
        errorType,
      ]);
      const text = JSON.stringify(failing);
      expect(text).not.toContain(OLD.password);
      expect(text).not.toContain(NEW_PASSWORD);
      expect(text).not.toContain(CLIENT_SECRET);

      // The fault clears; the very next cycle at which the mapping is due heals it.
      await clear(world);
      clock.advance(clearsAfterMs ?? 0);
      clock.advanceTo(new Date(failing.nextDueAt).getTime() + 1_000);
      await b.runCycle();
      expect(secretData(world.kubernetes, 'db')).toEqual({
        db_password: NEW_PASSWORD,
        db_user: OLD.user,
      });
      expect(await statusRow()).toMatchObject({
        state: 'Synced',
        namespace: NS,
      });
    },
  );
});

describe('fault matrix: the database goes away mid-cycle (PostgreSQL)', () => {
  let world: ReliabilityWorld;
  let database: PostgresTestDatabase;
  let backend: IntegrationBackend | undefined;
  const clock = useSteppableClock();
  const NAMES = ['db-a', 'db-b', 'db-c'];

  beforeEach(async () => {
    world = await startReliabilityWorld();
    database = await createPostgresTestDatabase();
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await world.stop();
    await database.drop();
  });

  it('should keep every Secret, fail the cycle naming the database error, and recover on the next due cycle: database unavailable mid-cycle', async () => {
    setRemote(world, 'DB_PASSWORD', OLD.password);
    setRemote(world, 'DB_USER', OLD.user);
    for (const name of NAMES) {
      world.kubernetes.seed(
        externalSecret(name, ['DB_PASSWORD', 'DB_USER'], {
          deletionPolicy: 'Delete',
        }),
      );
    }
    backend = await startIntegrationBackend({
      sim: world.kubernetes,
      entities: [CHECKOUT],
      config: pluginConfig(endpointsOf(world), {
        concurrency: { kubernetesRequests: 1 },
      }),
      knex: database.knex,
      extraFeatures: [infisicalModule],
    });
    await backend.runCycle();

    // Slow Secret writes, so the database can go away between two of them.
    setRemote(world, 'DB_PASSWORD', NEW_PASSWORD);
    clock.advance(61_000);
    world.kubernetes.clearRequests();
    world.kubernetes.injectFault({
      verb: 'update',
      resource: 'secrets',
      latencyMs: 400,
    });
    const running = backend.runCycle().then(
      () => undefined,
      (e: Error) => e,
    );
    while (secretWrites(world.kubernetes).length === 0) {
      await new Promise(r => setTimeout(r, 20));
    }
    await database.stop();
    const error = await running;

    expect(error?.message).toMatch(
      /terminat|not currently accepting connections|Connection/i,
    );
    for (const name of NAMES) {
      const data = secretData(world.kubernetes, name);
      expect(data?.db_user).toBe(OLD.user);
      expect([OLD.password, NEW_PASSWORD]).toContain(data?.db_password);
    }
    expect(
      secretWrites(world.kubernetes).filter(w => w.verb === 'delete'),
    ).toEqual([]);

    await database.start();
    world.kubernetes.clearFaults();
    clock.advance(61_000);
    await backend.runCycle();
    for (const name of NAMES) {
      expect(secretData(world.kubernetes, name)).toEqual({
        db_password: NEW_PASSWORD,
        db_user: OLD.user,
      });
    }
    const res = await request(backend.server).get(STATUS_PATH);
    expect(
      (res.body.externalSecrets as any[]).map(r => [r.name, r.state]),
    ).toEqual(NAMES.map(name => [name, 'Synced']));
  });
});
