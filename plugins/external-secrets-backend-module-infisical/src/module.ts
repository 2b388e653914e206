import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { externalSecretsProvidersExtensionPoint } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { readInfisicalModuleConfig } from './config/readInfisicalModuleConfig';
import { InfisicalProvider } from './provider/InfisicalProvider';

/**
 * Adds the `infisical` provider to the External Secrets backend. Cached access
 * tokens are revoked when the backend shuts down.
 *
 * @public
 */
export const externalSecretsModuleInfisical = createBackendModule({
  pluginId: 'external-secrets',
  moduleId: 'infisical',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: externalSecretsProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ providers, config, logger, lifecycle }) {
        const provider = new InfisicalProvider({
          ...readInfisicalModuleConfig(config),
          logger,
        });
        providers.addProvider(provider);
        lifecycle.addShutdownHook(() => provider.shutdown());
      },
    });
  },
});
