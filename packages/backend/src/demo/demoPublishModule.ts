import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDemoPublishLocalAction } from './demoPublishLocal';
import { demoRepositoriesRoot } from './demoRepositories';

/**
 * DEMO ONLY: adds `demo:publish:local` to the scaffolder when
 * `externalSecretsDemo.enabled`, publishing to the folder the demo-repos
 * plugin serves.
 */
export const demoPublishModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'demo-publish-local',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        scaffolderActions: scaffolderActionsExtensionPoint,
      },
      async init({ config, discovery, scaffolderActions }) {
        const root = demoRepositoriesRoot(config);
        if (!root) return;
        scaffolderActions.addActions(
          createDemoPublishLocalAction({
            root,
            browseBaseUrl: await discovery.getExternalBaseUrl('demo-repos'),
          }),
        );
      },
    });
  },
});
