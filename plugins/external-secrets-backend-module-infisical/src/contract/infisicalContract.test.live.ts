/**
 * The contract suite against a REAL Infisical. Opt-in, never part of `yarn
 * test` (the file name does not match the default test pattern). Run:
 *
 *   INFISICAL_TEST_URL=https://infisical.example.com \
 *   INFISICAL_TEST_CLIENT_ID=... INFISICAL_TEST_CLIENT_SECRET=... \
 *   INFISICAL_TEST_PROJECT_SLUG=... [INFISICAL_TEST_ENVIRONMENT=dev] \
 *   [INFISICAL_TEST_TAG=contract] [INFISICAL_TEST_PROJECT_ID=...] \
 *   yarn workspace @external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical test:contract-live
 *
 * The identity needs the Viewer role on the project, and the project the
 * fixture described in the module README ("Contract suite").
 */
import {
  describeInfisicalContract,
  type ContractTarget,
} from './infisicalContract';

function liveTarget(): ContractTarget {
  const env = process.env;
  const required = [
    'INFISICAL_TEST_URL',
    'INFISICAL_TEST_CLIENT_ID',
    'INFISICAL_TEST_CLIENT_SECRET',
    'INFISICAL_TEST_PROJECT_SLUG',
  ];
  const missing = required.filter(name => !env[name]);
  if (missing.length) {
    throw new Error(
      `The live Infisical contract run needs ${missing.join(
        ', ',
      )} (see the module README, "Contract suite"); it is never skipped silently.`,
    );
  }
  return {
    url: env.INFISICAL_TEST_URL!.replace(/\/+$/, '').replace(/\/api$/, ''),
    clientId: env.INFISICAL_TEST_CLIENT_ID!,
    clientSecret: env.INFISICAL_TEST_CLIENT_SECRET!,
    projectSlug: env.INFISICAL_TEST_PROJECT_SLUG!,
    projectId: env.INFISICAL_TEST_PROJECT_ID || undefined,
    environment: env.INFISICAL_TEST_ENVIRONMENT || 'dev',
    tag: env.INFISICAL_TEST_TAG || 'contract',
  };
}

describeInfisicalContract(
  'Infisical contract against a live server',
  liveTarget,
);
