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
 * Issue #16, hole 1: a ClusterSecretStore whose credential secretRefs carry no
 * namespace reads them in each ExternalSecret's namespace (as ESO does), so
 * every namespace brings its own Infisical identity. The cycle must not lend
 * the first namespace's identity to the others.
 */

const PROJECT = 'shared-project';
const STORE = 'team-identities';
const TEAM_A_VALUE = 'canary-team-a-value-0c7f31-never-in-team-b';
const TEAM_A = { ns: 'team-a', clientId: 'team-a-client', secret: 'team-a-s' };
const TEAM_B = { ns: 'team-b', clientId: 'team-b-client', secret: 'team-b-s' };

const b64 = (text: string) => Buffer.from(text).toString('base64');

function entity(team: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${team}-service`,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': team },
    },
    spec: { type: 'service', owner: team, lifecycle: 'production' },
  };
}

/** Universal-auth credentials without a namespace: each namespace's own. */
function clusterSecretStore(hostAPI: string): StoredObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: STORE },
    spec: {
      provider: universalAuthProvider({
        hostAPI,
        credentials: 'infisical-credentials',
        project: PROJECT,
      }),
    },
  };
}

function teamObjects(team: typeof TEAM_A): StoredObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: team.ns } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'infisical-credentials', namespace: team.ns },
      data: { clientId: b64(team.clientId), clientSecret: b64(team.secret) },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'db',
        namespace: team.ns,
        labels: { 'backstage.io/kubernetes-id': team.ns },
      },
      spec: {
        refreshInterval: '1m',
        secretStoreRef: { kind: 'ClusterSecretStore', name: STORE },
        target: { name: 'db' },
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      },
    },
  ];
}

describe('hole 1: credentials of a ClusterSecretStore are never shared across namespaces', () => {
  let infisical: InfisicalSimulator;
  let infisicalServer: InfisicalSimulatorServer;
  let kubernetes: KubernetesSimulator;
  let backend: IntegrationBackend | undefined;
  let identityA: string;
  let identityB: string;

  beforeEach(async () => {
    infisical = new InfisicalSimulator();
    infisical.addProject({ slug: PROJECT, environments: ['dev', 'prod'] });
    infisical.setSecret({
      project: PROJECT,
      environment: 'prod',
      key: 'DB_PASSWORD',
      value: TEAM_A_VALUE,
    });
    identityA = infisical.addUniversalAuthIdentity({
      clientId: TEAM_A.clientId,
      clientSecret: TEAM_A.secret,
    });
    identityB = infisical.addUniversalAuthIdentity({
      clientId: TEAM_B.clientId,
      clientSecret: TEAM_B.secret,
    });
    infisical.grant(identityA, PROJECT);
    infisicalServer = await startInfisicalSimulatorServer({
      simulator: infisical,
    });
    kubernetes = await startKubernetesSimulator();
    kubernetes.seed(
      clusterSecretStore(infisicalServer.url),
      ...teamObjects(TEAM_A),
      ...teamObjects(TEAM_B),
    );
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await infisicalServer.close();
    await kubernetes.stop();
  });

  async function runCycle() {
    backend = await startIntegrationBackend({
      sim: kubernetes,
      entities: [entity(TEAM_A.ns), entity(TEAM_B.ns)],
      extraFeatures: [infisicalModule],
    });
    await backend.runCycle();
  }

  const secretOf = (ns: string) =>
    kubernetes.get({ kind: 'Secret', namespace: ns, name: 'db' }) as
      | (StoredObject & { data?: Record<string, string> })
      | undefined;

  async function statusOf(team: string) {
    const res = await request(backend!.server).get(
      `/api/external-secrets/entities/component/default/${team}-service/status`,
    );
    expect(res.status).toBe(200);
    return res.body.externalSecrets[0];
  }

  it("should not give team-b team-a's value when team-b's own identity may not read it", async () => {
    // team-b's identity may read the project's dev environment only.
    infisical.grant(identityB, PROJECT, { environments: ['dev'] });

    await runCycle();

    expect(secretOf(TEAM_A.ns)?.data).toEqual({ password: b64(TEAM_A_VALUE) });
    expect(secretOf(TEAM_B.ns)).toBeUndefined();
    const teamB = await statusOf(TEAM_B.ns);
    expect(teamB.state).not.toBe('Synced');
    expect(JSON.stringify(teamB)).not.toContain(TEAM_A_VALUE);
    expect((await statusOf(TEAM_A.ns)).state).toBe('Synced');
  });

  it('should read each namespace under the identity of its own credentials', async () => {
    infisical.grant(identityB, PROJECT);

    await runCycle();

    const readers = infisical
      .requests()
      .filter(r => r.route === 'listSecretsV4' && r.status === 200)
      .map(r => r.identityId);
    expect(new Set(readers)).toEqual(new Set([identityA, identityB]));
    expect(secretOf(TEAM_A.ns)?.data).toEqual({ password: b64(TEAM_A_VALUE) });
    expect(secretOf(TEAM_B.ns)?.data).toEqual({ password: b64(TEAM_A_VALUE) });
  });
});
