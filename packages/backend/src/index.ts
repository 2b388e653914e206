/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import './instrumentation';
import { createBackend } from '@backstage/backend-defaults';
import { externalSecretsDemoSimulators } from './demo/demoSimulators';
import { externalSecretsDemoLocalFiles } from './demo/demoLocalFiles';
import { demoPublishModule } from './demo/demoPublishModule';
import { demoRepositories } from './demo/demoRepositories';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// See https://backstage.io/docs/permissions/getting-started for how to create your own permission policy
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// external secrets: the reconciler + API, the Infisical and AWS providers, and
// (demo only, see externalSecretsDemo in app-config.yaml) simulated cluster,
// Infisical and AWS Secrets Manager
backend.add(
  import(
    '@external-secrets-backstage/backstage-plugin-external-secrets-backend'
  ),
);
backend.add(
  import(
    '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical'
  ),
);
// AWS Secrets Manager (spec.provider.aws, service SecretsManager)
backend.add(
  import(
    '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-aws'
  ),
);
backend.add(externalSecretsDemoSimulators);
backend.add(externalSecretsDemoLocalFiles);
// demo:publish:local, the template's offline publish target, and the
// read-only pages of what it published (/api/demo-repos)
backend.add(demoPublishModule);
backend.add(demoRepositories);

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(
  import(
    '@external-secrets-backstage/backstage-plugin-scaffolder-backend-module-external-secrets'
  ),
);
backend.start();
