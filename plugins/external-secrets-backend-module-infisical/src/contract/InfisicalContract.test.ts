/**
 * The contract suite against the simulator, on loopback, in every test run
 * (both server profiles). The same suite runs against a real Infisical with
 * `yarn workspace @external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical test:contract-live`
 * (see infisicalContract.test.live.ts and the module README).
 */
import { InfisicalSimulator } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import type { SimulatorProfile } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CONTRACT_FIXTURE,
  describeInfisicalContract,
  type ContractTarget,
} from './infisicalContract';

const PROJECT = 'ci-project';
const ENVIRONMENT = 'dev';
const TAG = 'contract';

/** The fixture of CONTRACT_FIXTURE, read by a Viewer identity. */
function seed(simulator: InfisicalSimulator): void {
  simulator.addProject({ slug: PROJECT, environments: [ENVIRONMENT] });
  const at = (path: string, key: string, value: string, tags?: string[]) =>
    simulator.setSecret({
      project: PROJECT,
      environment: ENVIRONMENT,
      path,
      key,
      value,
      tags,
    });
  at('/', CONTRACT_FIXTURE.rootKey, 'hello-dummy');
  at(CONTRACT_FIXTURE.folder, CONTRACT_FIXTURE.taggedKey, 'dummy-token-123', [
    TAG,
  ]);
  at(CONTRACT_FIXTURE.folder, CONTRACT_FIXTURE.hostKey, 'db.example.invalid');
  at(
    CONTRACT_FIXTURE.folder,
    CONTRACT_FIXTURE.referenceKey,
    CONTRACT_FIXTURE.referenceTemplate(`\${${CONTRACT_FIXTURE.hostKey}}`),
  );
  at(CONTRACT_FIXTURE.importedFolder, CONTRACT_FIXTURE.importedKey, 'shared');
  simulator.addImport({
    project: PROJECT,
    environment: ENVIRONMENT,
    path: CONTRACT_FIXTURE.folder,
    from: { environment: ENVIRONMENT, path: CONTRACT_FIXTURE.importedFolder },
  });
  const viewer = simulator.addUniversalAuthIdentity({
    clientId: 'contract-viewer',
    clientSecret: 'contract-viewer-secret',
    token: { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 },
  });
  simulator.grant(viewer, PROJECT);
}

describe.each<SimulatorProfile>(['current', '2024-10'])(
  'Infisical contract against the simulator (profile %s)',
  profile => {
    let server: InfisicalSimulatorServer;
    let target: ContractTarget;

    beforeAll(async () => {
      const simulator = new InfisicalSimulator({ profile });
      seed(simulator);
      server = await startInfisicalSimulatorServer({ simulator });
      target = {
        url: server.url,
        clientId: 'contract-viewer',
        clientSecret: 'contract-viewer-secret',
        projectSlug: PROJECT,
        environment: ENVIRONMENT,
        tag: TAG,
      };
    });

    afterAll(() => server.close());

    describeInfisicalContract('contract', () => target);
  },
);
