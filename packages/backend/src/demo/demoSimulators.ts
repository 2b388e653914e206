import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { startKubernetesSimulator } from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';
import {
  InfisicalSimulator,
  readSimulatorTls,
  startInfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  AwsSecretsManagerSimulator,
  startAwsSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { readFile } from 'node:fs/promises';
import { startDemoRolloutController } from './demoRolloutController';
import { resolve } from 'node:path';

/**
 * DEMO ONLY: starts a simulated Kubernetes API server and a simulated Infisical
 * on 127.0.0.1, seeded with the demo objects, so `yarn start` shows the whole
 * flow with no outside service. Enabled by `externalSecretsDemo.enabled`; the
 * plugin's `externalSecrets.clusters` entry points at the simulated cluster.
 */
export const externalSecretsDemoSimulators = createBackendModule({
  pluginId: 'external-secrets',
  moduleId: 'demo-simulators',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const demo = config.getOptionalConfig('externalSecretsDemo');
        if (!demo?.getOptionalBoolean('enabled')) return;

        const kubernetes = await startKubernetesSimulator({
          port: demo.getNumber('kubernetes.port'),
          token: demo.getString('kubernetes.token'),
        });
        kubernetes.seedYaml(
          await readFile(
            resolve(demo.getString('kubernetes.seedFile')),
            'utf8',
          ),
        );

        const stopRolloutController = startDemoRolloutController(kubernetes);

        const { ca, key, cert } = readSimulatorTls();
        kubernetes.seed({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'infisical-ca', namespace: 'external-secrets' },
          data: { 'ca.crt': ca },
        });

        const infisical = new InfisicalSimulator();
        seedInfisical(infisical);
        const infisicalServer = await startInfisicalSimulatorServer({
          simulator: infisical,
          port: demo.getNumber('infisical.port'),
          tls: { key, cert },
        });
        // An in-process AWS Secrets Manager (no Python, no network; its
        // answers follow moto's, see the AWS module's contract test).
        const aws = new AwsSecretsManagerSimulator('eu-west-1');
        seedAws(aws);
        const awsServer = await startAwsSimulatorServer({
          simulator: aws,
          port: demo.getNumber('aws.port'),
        });
        logger.info(
          `DEMO: simulated Kubernetes cluster at ${kubernetes.url}, simulated Infisical at ${infisicalServer.url}, simulated AWS Secrets Manager at ${awsServer.url} (not real services)`,
        );
        lifecycle.addShutdownHook(async () => {
          await awsServer.close();
          stopRolloutController();
          await infisicalServer.close();
          await kubernetes.stop();
        });
      },
    });
  },
});

/** The AWS side of checkout-service's payment gateway Secret (demo values). */
function seedAws(aws: AwsSecretsManagerSimulator) {
  aws.setSecret(
    'checkout/payment-gateway',
    JSON.stringify({
      token: 'demo-gateway-token-aws',
      signingKey: 'demo-gateway-signing-key-aws',
    }),
    { team: 'payments', app: 'checkout' },
  );
}

/** The seed's project (archon-platform-pzxu, env prod) with demo values. */
function seedInfisical(infisical: InfisicalSimulator) {
  const project = 'archon-platform-pzxu';
  infisical.addProject({
    slug: project,
    name: 'archon-platform',
    environments: ['dev', 'prod'],
  });
  const values: [string, string, string][] = [
    ['/', 'MY_SECRET_NAME', 'demo-api-key-0001'],
    ['/payments', 'DB_PASSWORD', 'demo-db-password'],
    ['/payments', 'DB_USER', 'checkout'],
  ];
  for (const [path, key, value] of values) {
    infisical.setSecret({ project, environment: 'prod', path, key, value });
  }
  const identity = infisical.addUniversalAuthIdentity({
    identityId: 'eso-archon-platform',
    clientId: 'demo-eso-archon-platform',
    clientSecret: 'demo-client-secret-not-real',
  });
  infisical.grant(identity, project, { environments: ['prod'] });
}
