import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAnnotateEntityAction } from './actions/annotateEntityAction';
import { createExternalSecretAction } from './actions/createExternalSecretAction';
import { ExternalSecretsApi } from './api/ExternalSecretsApi';

/**
 * Registers the `external-secrets:create` and `external-secrets:annotate`
 * scaffolder actions. They reach the external-secrets backend plugin over
 * HTTP with the credentials of the user running the template.
 *
 * @public
 */
export const scaffolderModule = createBackendModule({
  moduleId: 'external-secrets',
  pluginId: 'scaffolder',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolderActions, discovery, auth }) {
        const api = new ExternalSecretsApi({ discovery, auth });
        scaffolderActions.addActions(
          createExternalSecretAction({ api }),
          createAnnotateEntityAction(),
        );
      },
    });
  },
});
