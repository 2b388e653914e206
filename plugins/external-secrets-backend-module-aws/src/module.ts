import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { externalSecretsProvidersExtensionPoint } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { readAwsModuleConfig } from './config/readAwsModuleConfig';
import { AwsSecretsManagerProvider } from './provider/AwsSecretsManagerProvider';

/**
 * Adds the `aws` provider (`service: SecretsManager`) to the External Secrets backend.
 *
 * @public
 */
export const externalSecretsModuleAws = createBackendModule({
  pluginId: 'external-secrets',
  moduleId: 'aws',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: externalSecretsProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ providers, config, logger, lifecycle }) {
        const provider = new AwsSecretsManagerProvider({
          ...readAwsModuleConfig(config),
          logger,
        });
        providers.addProvider(provider);
        lifecycle.addShutdownHook(() => provider.shutdown());
      },
    });
  },
});
