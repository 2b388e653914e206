import { Entity } from '@backstage/catalog-model';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import {
  createProbeProviderModule,
  InfisicalSimulator,
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';

jest.setTimeout(60_000);

/**
 * Hole 11: the SSRF guard checked host NAMES only. A tenant who may create a
 * SecretStore in their namespace could aim it at a name the allow-list admits
 * but that resolves to a loopback, link-local (cloud metadata) or private
 * address, or at such an address written out. The guard now checks every
 * address at connection time for namespaced SecretStores; admin stores
 * (app-config, ClusterSecretStores) are not restricted.
 */

const NS = 'team-a';
const PROJECT = 'team-a-project';
const ENV = 'prod';
const CLIENT_ID = 'tenant-client-id';
const CLIENT_SECRET = 'canary-tenant-client-secret-5f1e';
const VALUE = 'canary-remote-value-9ab2';
const PRIVATE_KEY = 'externalSecrets.security.namespacedStorePrivateAddresses';

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'web' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const b64 = (text: string) => Buffer.from(text).toString('base64');

function infisicalStore(
  kind: 'SecretStore' | 'ClusterSecretStore',
  name: string,
  hostAPI: string,
) {
  const ref = (key: string) => ({
    name: 'infisical-creds',
    key,
    namespace: NS,
  });
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: { name, ...(kind === 'SecretStore' ? { namespace: NS } : {}) },
    spec: {
      provider: {
        infisical: {
          hostAPI,
          auth: {
            universalAuthCredentials: {
              clientId: ref('clientId'),
              clientSecret: ref('clientSecret'),
            },
          },
          secretsScope: { projectSlug: PROJECT, environmentSlug: ENV },
        },
      },
    },
  };
}

function externalSecret(
  name: string,
  store: { kind: string; metadata: { name: string } },
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'web' },
    },
    spec: {
      secretStoreRef: { name: store.metadata.name, kind: store.kind },
      target: { name },
      data: [{ secretKey: 'token', remoteRef: { key: 'TOKEN' } }],
    },
  };
}

describe('hole 11: SSRF guard checks resolved addresses, not only host names', () => {
  let sim: KubernetesSimulator;
  let infisical: InfisicalSimulator;
  let infisicalServer: InfisicalSimulatorServer;
  let backend: IntegrationBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
    infisical = new InfisicalSimulator();
    infisical.addProject({ slug: PROJECT, environments: [ENV] });
    infisical.setSecret({
      project: PROJECT,
      environment: ENV,
      key: 'TOKEN',
      value: VALUE,
    });
    const identity = infisical.addUniversalAuthIdentity({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    infisical.grant(identity, PROJECT);
    // Listens on 127.0.0.1 only; its URL names the host `localhost`, which
    // resolves (from /etc/hosts, no DNS server) to a loopback address.
    infisicalServer = await startInfisicalSimulatorServer({
      simulator: infisical,
    });
  });
  afterAll(async () => {
    await infisicalServer.close();
    await sim.stop();
  });
  beforeEach(() => {
    sim.reset();
    infisical.clearRequests();
    sim.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'infisical-creds', namespace: NS },
        type: 'Opaque',
        data: { clientId: b64(CLIENT_ID), clientSecret: b64(CLIENT_SECRET) },
      },
    );
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function statuses(b: IntegrationBackend) {
    const res = await request(b.server).get(
      '/api/external-secrets/entities/component/default/web/status',
    );
    expect(res.status).toBe(200);
    return Object.fromEntries(
      (res.body.externalSecrets as any[]).map(es => [es.name, es]),
    );
  }

  const logins = () => infisical.requests('universalAuthLogin').length;
  const hostAPI = () => `http://localhost:${infisicalServer.port}/api`;

  it('should refuse a namespaced SecretStore whose allowed host name resolves to a loopback address, before any request reaches it', async () => {
    const tenantStore = infisicalStore('SecretStore', 'tenant', hostAPI());
    sim.seed(tenantStore, externalSecret('stolen', tenantStore));
    const loginsBefore = logins();
    backend = await startIntegrationBackend({
      sim,
      entities: [ENTITY],
      config: { security: { namespacedStoreHosts: ['localhost:*'] } },
      extraFeatures: [infisicalModule],
    });

    await backend.runCycle();
    const byName = await statuses(backend);

    expect(byName.stolen.state).toBe('Error');
    expect(byName.stolen.message).toMatch(
      /localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    expect(byName.stolen.message).toContain(PRIVATE_KEY);
    expect(JSON.stringify(byName)).not.toContain(CLIENT_SECRET);
    expect(logins()).toBe(loginsBefore);
    expect(sim.get({ kind: 'Secret', namespace: NS, name: 'stolen' })).toBe(
      undefined,
    );
  });

  it('should refuse a namespaced SecretStore aimed at the cloud metadata address even when the allow-list names that address', async () => {
    const contacted: string[] = [];
    const metadataStore = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'metadata', namespace: NS },
      spec: {
        provider: { probe: { url: 'http://169.254.169.254/latest/meta-data' } },
      },
    };
    sim.seed(metadataStore, externalSecret('stolen', metadataStore));
    backend = await startIntegrationBackend({
      sim,
      entities: [ENTITY],
      config: { security: { namespacedStoreHosts: ['169.254.169.254'] } },
      extraFeatures: [createProbeProviderModule(contacted)],
    });

    await backend.runCycle();
    const byName = await statuses(backend);

    expect(byName.stolen).toMatchObject({
      state: 'Error',
      message: expect.stringContaining(
        '169.254.169.254 is a link-local address (cloud metadata services live there)',
      ),
    });
    expect(contacted).toEqual([]);
  });

  it('should let a namespaced SecretStore reach a private address the admin allowed by host name', async () => {
    const tenantStore = infisicalStore('SecretStore', 'tenant', hostAPI());
    sim.seed(tenantStore, externalSecret('allowed', tenantStore));
    backend = await startIntegrationBackend({
      sim,
      entities: [ENTITY],
      config: {
        security: {
          namespacedStoreHosts: ['localhost:*'],
          namespacedStorePrivateAddresses: ['localhost'],
        },
      },
      extraFeatures: [infisicalModule],
    });

    await backend.runCycle();
    const byName = await statuses(backend);

    expect(byName.allowed).toMatchObject({ state: 'Synced' });
  });

  it('should let a ClusterSecretStore (an admin store) reach the loopback simulator without any allow-list entry', async () => {
    const clusterStore = infisicalStore(
      'ClusterSecretStore',
      'platform',
      hostAPI(),
    );
    sim.seed(clusterStore, externalSecret('platform', clusterStore));
    backend = await startIntegrationBackend({
      sim,
      entities: [ENTITY],
      extraFeatures: [infisicalModule],
    });

    await backend.runCycle();
    const byName = await statuses(backend);

    expect(byName.platform).toMatchObject({ state: 'Synced' });
  });
});
