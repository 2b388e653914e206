import { Entity } from '@backstage/catalog-model';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import {
  InfisicalSimulator,
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
  StoredObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';
import { universalAuthProvider } from '../__testUtils__/infisicalProvider';

jest.setTimeout(60_000);

/**
 * Issue #16, hole 4: the admin's app-config credentials
 * (`externalSecrets.credentials`) are the admin's identity. A SecretStore CR,
 * which anyone allowed to create one in its namespace controls, must never
 * resolve its secretRefs to them; app-config stores and ClusterSecretStores may.
 */

const PROJECT = 'platform';
const ADMIN_VALUE = 'canary-admin-only-value-5e21c9-never-in-team-b';
const ADMIN_CREDENTIALS = 'infisical-admin';
const ADMIN_CLIENT_ID = 'admin-client-id';
const ADMIN_CLIENT_SECRET = 'canary-admin-client-secret-77d0';

const TEAM_B: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'team-b-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'team-b' },
  },
  spec: { type: 'service', owner: 'team-b', lifecycle: 'production' },
};

const provider = (hostAPI: string) =>
  universalAuthProvider({
    hostAPI,
    credentials: ADMIN_CREDENTIALS,
    project: PROJECT,
  });

function externalSecret(
  name: string,
  storeRef: { kind: string; name: string },
): StoredObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: 'team-b',
      labels: { 'backstage.io/kubernetes-id': 'team-b' },
    },
    spec: {
      refreshInterval: '1m',
      secretStoreRef: storeRef,
      target: { name },
      data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    },
  };
}

describe("hole 4: a namespaced SecretStore cannot borrow the admin's app-config credentials", () => {
  let infisical: InfisicalSimulator;
  let infisicalServer: InfisicalSimulatorServer;
  let kubernetes: KubernetesSimulator;
  let backend: IntegrationBackend | undefined;
  let adminIdentity: string;

  beforeEach(async () => {
    infisical = new InfisicalSimulator();
    infisical.addProject({ slug: PROJECT, environments: ['prod'] });
    infisical.setSecret({
      project: PROJECT,
      environment: 'prod',
      key: 'DB_PASSWORD',
      value: ADMIN_VALUE,
    });
    adminIdentity = infisical.addUniversalAuthIdentity({
      clientId: ADMIN_CLIENT_ID,
      clientSecret: ADMIN_CLIENT_SECRET,
    });
    infisical.grant(adminIdentity, PROJECT);
    infisicalServer = await startInfisicalSimulatorServer({
      simulator: infisical,
    });
    kubernetes = await startKubernetesSimulator();
    kubernetes.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } },
      // team-b's own store, naming the admin's credentials (no such Secret in team-b).
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'SecretStore',
        metadata: { name: 'borrowed', namespace: 'team-b' },
        spec: { provider: provider(infisicalServer.url) },
      },
      externalSecret('stolen', { kind: 'SecretStore', name: 'borrowed' }),
    );
    backend = await startIntegrationBackend({
      sim: kubernetes,
      entities: [TEAM_B],
      config: {
        // The host is allowed, so only the credential rule can refuse the store.
        security: { namespacedStoreHosts: ['*'] },
        // The admin's own store, which may use the admin's credentials.
        stores: [
          {
            kind: 'ClusterSecretStore',
            metadata: { name: 'admin-store' },
            spec: { provider: provider(infisicalServer.url) },
          },
        ],
        credentials: [
          {
            name: ADMIN_CREDENTIALS,
            data: {
              clientId: ADMIN_CLIENT_ID,
              clientSecret: ADMIN_CLIENT_SECRET,
            },
          },
        ],
      },
      extraFeatures: [infisicalModule],
    });
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await infisicalServer.close();
    await kubernetes.stop();
  });

  const secretOf = (name: string) =>
    kubernetes.get({ kind: 'Secret', namespace: 'team-b', name });

  async function rows() {
    const res = await request(backend!.server).get(
      '/api/external-secrets/entities/component/default/team-b-service/status',
    );
    expect(res.status).toBe(200);
    return res.body.externalSecrets as {
      name: string;
      state: string;
      message?: string;
    }[];
  }

  it("should fail team-b's SecretStore with an error instead of reading as the admin identity", async () => {
    await backend!.runCycle();

    expect(secretOf('stolen')).toBeUndefined();
    const row = (await rows()).find(r => r.name === 'stolen')!;
    expect(row.state).toBe('Error');
    expect(row.message).toContain(`team-b/${ADMIN_CREDENTIALS}`);
    expect(JSON.stringify(row)).not.toContain(ADMIN_VALUE);
  });

  it("should still let the admin's app-config store use the admin's credentials", async () => {
    kubernetes.seed(
      externalSecret('allowed', {
        kind: 'ClusterSecretStore',
        name: 'admin-store',
      }),
    );

    await backend!.runCycle();

    expect(secretOf('allowed')).toBeDefined();
    expect(secretOf('stolen')).toBeUndefined();
    expect((await rows()).find(r => r.name === 'allowed')!.state).toBe(
      'Synced',
    );
  });
});
