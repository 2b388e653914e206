import { Entity } from '@backstage/catalog-model';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import {
  InfisicalSimulator,
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { V1Secret } from '@kubernetes/client-node';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';
import {
  KubeAdmin,
  KubeControlPlane,
  kubeControlPlane,
  TestObject,
  uniqueName,
} from './__testUtils__/kubeControlPlane';

jest.setTimeout(120_000);

/**
 * Issue #16 on a real kube-apiserver: two teams in two namespaces, each with
 * its own Infisical identity, behind one ClusterSecretStore whose credential
 * secretRefs carry no namespace (so ESO reads them in each ExternalSecret's
 * namespace). One team's identity must never read for the other (hole 1).
 */

const PROJECT = 'trust-model';
const CANARY = 'canary-k8s-trust-model-6f0d2a-team-a-only';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const text = (secret: V1Secret | undefined, key: string) =>
  Buffer.from(secret?.data?.[key] ?? '', 'base64').toString();

function component(name: string, kubernetesId: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': kubernetesId },
    },
    spec: { type: 'service', owner: kubernetesId, lifecycle: 'production' },
  };
}

describe('trust model against a real kube-apiserver', () => {
  let plane: KubeControlPlane;
  let admin: KubeAdmin;
  let infisical: InfisicalSimulator;
  let infisicalServer: InfisicalSimulatorServer;
  let backend: IntegrationBackend | undefined;

  beforeAll(() => {
    plane = kubeControlPlane();
    admin = new KubeAdmin(plane);
  });

  beforeEach(async () => {
    infisical = new InfisicalSimulator();
    infisical.addProject({ slug: PROJECT, environments: ['dev', 'prod'] });
    infisical.setSecret({
      project: PROJECT,
      environment: 'prod',
      key: 'DB_PASSWORD',
      value: CANARY,
    });
    infisicalServer = await startInfisicalSimulatorServer({
      simulator: infisical,
    });
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await infisicalServer.close();
  });

  /** A team: its namespace, its credentials Secret (its own identity) and an ExternalSecret. */
  async function team(prefix: string, store: string, app: string) {
    const clientId = uniqueName(`${prefix}-client`);
    const clientSecret = uniqueName(`${prefix}-secret`);
    const identityId = infisical.addUniversalAuthIdentity({
      clientId,
      clientSecret,
    });
    const ns = await admin.createNamespace(prefix);
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'infisical-credentials', namespace: ns },
      data: { clientId: b64(clientId), clientSecret: b64(clientSecret) },
    });
    await admin.create({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'db',
        namespace: ns,
        labels: { 'backstage.io/kubernetes-id': app },
      },
      spec: {
        refreshInterval: '1m',
        secretStoreRef: { kind: 'ClusterSecretStore', name: store },
        target: { name: 'db' },
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      },
    });
    return { ns, identityId, app };
  }

  async function clusterSecretStore(name: string) {
    const ref = (key: string) => ({ name: 'infisical-credentials', key });
    await admin.create<TestObject>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name },
      spec: {
        provider: {
          infisical: {
            hostAPI: infisicalServer.url,
            auth: {
              universalAuthCredentials: {
                clientId: ref('clientId'),
                clientSecret: ref('clientSecret'),
              },
            },
            secretsScope: {
              projectSlug: PROJECT,
              environmentSlug: 'prod',
              secretsPath: '/',
            },
          },
        },
      },
    });
  }

  it("should never read team-b's ExternalSecret with team-a's identity", async () => {
    const store = uniqueName('identities');
    await clusterSecretStore(store);
    const teamA = await team('team-a', store, uniqueName('a'));
    const teamB = await team('team-b', store, uniqueName('b'));
    infisical.grant(teamA.identityId, PROJECT);
    // team-b's own identity may read the dev environment only.
    infisical.grant(teamB.identityId, PROJECT, { environments: ['dev'] });
    backend = await startIntegrationBackend({
      cluster: { name: 'kube-test-env', ...plane.pluginCluster },
      entities: [
        component(teamA.app, teamA.app),
        component(teamB.app, teamB.app),
      ],
      extraFeatures: [infisicalModule],
    });

    await backend.runCycle();

    expect(text(await admin.secret(teamA.ns, 'db'), 'password')).toBe(CANARY);
    expect(await admin.secret(teamB.ns, 'db')).toBeUndefined();
    const [teamBRow] = await backend.status(teamB.app);
    expect(teamBRow.state).toBe('Error');
    expect(JSON.stringify(teamBRow)).not.toContain(CANARY);
    const listers = infisical
      .requests()
      .filter(r => r.route === 'listSecretsV4')
      .map(r => `${r.identityId} ${r.status}`);
    expect(new Set(listers)).toEqual(
      new Set([`${teamA.identityId} 200`, `${teamB.identityId} 403`]),
    );
  });
});
