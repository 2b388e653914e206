import { convertLegacyRouteRefs } from '@backstage/core-compat-api';
import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { rootRouteRef } from '../routes';
import { externalSecretsApi } from './apis';
import { externalSecretsEntityCard } from './entityCards';
import { externalSecretsEntityContent } from './entityContents';
import { externalSecretMappingsPickerFormField } from './formFields';
import { externalSecretsPage } from './pages';

/**
 * External Secrets for the new frontend system: the API, the entity card, the
 * "Secrets" entity tab, the admin page (with its nav item) and the
 * `ExternalSecretMappingsPicker` scaffolder field.
 *
 * @alpha
 */
export const externalSecretsFrontendPlugin = createFrontendPlugin({
  pluginId: 'external-secrets',
  title: 'External Secrets',
  icon: <VpnKeyIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
  extensions: [
    externalSecretsApi,
    externalSecretsEntityCard,
    externalSecretsEntityContent,
    externalSecretsPage,
    externalSecretMappingsPickerFormField,
  ],
});
