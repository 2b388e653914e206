import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type {
  SecretKeySelector,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { StoreScope } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { setupServer } from 'msw/node';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInfisicalHandlers } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  errorText,
  infisicalStore,
  leakedCanaries,
  PROJECT,
  providerErrorOf,
  storeContext,
} from '../__testUtils__/testWorld';

/**
 * Issue #16, hole 8: Kubernetes auth logs in with a service-account token read
 * from the backend pod's file system, by default the backend's OWN token. A
 * store may only use it when an admin controls both the store and the identity
 * it logs in as, and only from an allow-listed directory.
 */

const server = setupServer();
registerMswTestHooks(server);

const DEFAULT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const ADMIN_NS = 'external-secrets';
const TEAM_NS = 'team-b';

function world(options: { serviceAccountTokenDirs?: string[] } = {}) {
  const readServiceAccountToken = jest.fn(
    async (_path: string) => `${CANARY.jwt}\n`,
  );
  const w = createTestWorld({
    provider: { readServiceAccountToken, ...options },
  });
  server.use(...createInfisicalHandlers(w.simulator));
  // The identity the backend's own service account may log in as.
  w.simulator.addKubernetesAuthIdentity({
    identityId: 'platform-admin-identity',
    serviceAccountJwts: [CANARY.jwt],
  });
  w.simulator.grant('platform-admin-identity', PROJECT);
  const context = (
    storeScope: StoreScope,
    namespace: string,
    secretsNamespace = namespace,
  ) =>
    storeContext({
      logger: w.logger,
      storeScope,
      namespace,
      secrets: {
        [`${secretsNamespace}/k8s-auth/identityId`]: 'platform-admin-identity',
      },
    });
  const logins = () => w.simulator.requests('kubernetesAuthLogin');
  return { ...w, readServiceAccountToken, context, logins };
}

function kubernetesStore(options: {
  kind: SecretStore['kind'];
  namespace?: string;
  refNamespace?: string;
  tokenPath?: boolean;
}): SecretStore {
  const ref = (key: string): SecretKeySelector => ({
    name: 'k8s-auth',
    key,
    ...(options.refNamespace ? { namespace: options.refNamespace } : {}),
  });
  return infisicalStore({
    kind: options.kind,
    name: 'k8s-store',
    namespace: options.namespace,
    auth: {
      kubernetesAuthCredentials: {
        identityId: ref('identityId'),
        ...(options.tokenPath
          ? { serviceAccountTokenPath: ref('tokenPath') }
          : {}),
      },
    },
  });
}

const adminStore = (tokenPath = false) =>
  kubernetesStore({
    kind: 'ClusterSecretStore',
    refNamespace: ADMIN_NS,
    tokenPath,
  });

async function readWith(
  w: ReturnType<typeof world>,
  store: SecretStore,
  context: ReturnType<ReturnType<typeof world>['context']>,
) {
  const client = await w.provider.newClient(store, context);
  try {
    return (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text();
  } finally {
    await client.close();
  }
}

describe("hole 8: Kubernetes auth never lends the backend's service-account token to a tenant", () => {
  it("should refuse a namespaced SecretStore that would log in with the backend's own token", async () => {
    const w = world();
    const store = kubernetesStore({ kind: 'SecretStore', namespace: TEAM_NS });

    const error = await providerErrorOf(() =>
      readWith(w, store, w.context('namespaced', TEAM_NS)),
    );

    expect(error.errorType).toBe('INVALID_CONFIG');
    expect(error.message).toContain('namespaced SecretStore');
    expect(error.message).toContain('ClusterSecretStore');
    expect(w.readServiceAccountToken).not.toHaveBeenCalled();
    expect(w.logins()).toEqual([]);
    expect(leakedCanaries([errorText(error), ...w.lines])).toEqual([]);
  });

  it('should report the same refusal when the namespaced store is validated', async () => {
    const w = world();
    const store = kubernetesStore({ kind: 'SecretStore', namespace: TEAM_NS });

    const result = await w.provider.validateStore(
      store,
      w.context('namespaced', TEAM_NS),
    );

    expect(result.ready).toBe(false);
    expect(result.message).toContain('namespaced SecretStore');
    expect(w.readServiceAccountToken).not.toHaveBeenCalled();
  });

  it("should refuse a ClusterSecretStore whose identityId each ExternalSecret's namespace would choose", async () => {
    const w = world();
    // No namespace on the ref: team-b's own Secret would name the identity.
    const store = kubernetesStore({ kind: 'ClusterSecretStore' });

    const error = await providerErrorOf(() =>
      readWith(w, store, w.context('admin', TEAM_NS)),
    );

    expect(error.errorType).toBe('INVALID_CONFIG');
    expect(error.message).toContain('identityId');
    expect(error.message).toContain('namespace');
    expect(w.readServiceAccountToken).not.toHaveBeenCalled();
    expect(w.logins()).toEqual([]);
  });

  it("should let an admin ClusterSecretStore log in with the backend's default token", async () => {
    const w = world();

    expect(
      await readWith(w, adminStore(), w.context('admin', TEAM_NS, ADMIN_NS)),
    ).toBe(CANARY.value);
    expect(w.readServiceAccountToken).toHaveBeenCalledWith(DEFAULT_TOKEN);
  });

  it.each([
    ['/etc/passwd'],
    ['/var/run/secrets/kubernetes.io/serviceaccount/../../../../etc/passwd'],
    ['/var/run/secrets/kubernetes.io/serviceaccount-evil/token'],
    ['/var/run/secrets/kubernetes.io/serviceaccount/'],
    ['token'],
    ['/dev/zero'],
  ])(
    'should refuse the token path %s outside the allow-listed directories without reading it',
    async tokenPath => {
      const w = world();
      const context = storeContext({
        logger: w.logger,
        storeScope: 'admin',
        namespace: TEAM_NS,
        secrets: {
          [`${ADMIN_NS}/k8s-auth/identityId`]: 'platform-admin-identity',
          [`${ADMIN_NS}/k8s-auth/tokenPath`]: tokenPath,
        },
      });

      const error = await providerErrorOf(() =>
        readWith(w, adminStore(true), context),
      );

      expect(error.errorType).toBe('INVALID_CONFIG');
      expect(error.message).toContain('serviceAccountTokenDirs');
      expect(w.readServiceAccountToken).not.toHaveBeenCalled();
      expect(w.logins()).toEqual([]);
    },
  );

  it('should read a token from a directory the admin added to the allow-list', async () => {
    const w = world({ serviceAccountTokenDirs: ['/var/run/secrets/tokens'] });
    const context = storeContext({
      logger: w.logger,
      storeScope: 'admin',
      namespace: TEAM_NS,
      secrets: {
        [`${ADMIN_NS}/k8s-auth/identityId`]: 'platform-admin-identity',
        [`${ADMIN_NS}/k8s-auth/tokenPath`]: '/var/run/secrets/tokens/infisical',
      },
    });

    expect(await readWith(w, adminStore(true), context)).toBe(CANARY.value);
    expect(w.readServiceAccountToken).toHaveBeenCalledWith(
      '/var/run/secrets/tokens/infisical',
    );
  });

  describe('the default token reader', () => {
    /** A kubelet-like token directory: `token` → `..data/token` → a timestamped folder, all inside. */
    function tokenDirectory() {
      const root = mkdtempSync(join(tmpdir(), 'hole08-'));
      const dir = join(root, 'serviceaccount');
      mkdirSync(join(dir, '..2026_11_23'), { recursive: true });
      writeFileSync(join(dir, '..2026_11_23', 'token'), CANARY.jwt);
      symlinkSync('..2026_11_23', join(dir, '..data'));
      symlinkSync('..data/token', join(dir, 'token'));
      writeFileSync(join(root, 'outside'), CANARY.jwt);
      symlinkSync('../outside', join(dir, 'escape'));
      return dir;
    }

    function realWorld(dir: string, file: string) {
      const w = createTestWorld({
        provider: { serviceAccountTokenDirs: [dir] },
      });
      server.use(...createInfisicalHandlers(w.simulator));
      w.simulator.addKubernetesAuthIdentity({
        identityId: 'platform-admin-identity',
        serviceAccountJwts: [CANARY.jwt],
      });
      w.simulator.grant('platform-admin-identity', PROJECT);
      const context = storeContext({
        logger: w.logger,
        storeScope: 'admin',
        namespace: TEAM_NS,
        secrets: {
          [`${ADMIN_NS}/k8s-auth/identityId`]: 'platform-admin-identity',
          [`${ADMIN_NS}/k8s-auth/tokenPath`]: join(dir, file),
        },
      });
      return { w, context };
    }

    it("should follow the kubelet's own links inside the allowed directory", async () => {
      const { w, context } = realWorld(tokenDirectory(), 'token');
      const client = await w.provider.newClient(adminStore(true), context);
      expect(
        (await client.getSecret({ key: 'MY_SECRET_NAME' })).value.text(),
      ).toBe(CANARY.value);
    });

    it('should refuse a symbolic link that leads out of the allowed directory', async () => {
      const { w, context } = realWorld(tokenDirectory(), 'escape');

      const error = await providerErrorOf(() =>
        w.provider.newClient(adminStore(true), context),
      );

      expect(error.errorType).toBe('INVALID_CONFIG');
      expect(error.message).toContain('symbolic link');
      expect(w.simulator.requests('kubernetesAuthLogin')).toEqual([]);
      expect(leakedCanaries([errorText(error), ...w.lines])).toEqual([]);
    });
  });
});
