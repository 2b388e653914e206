import { Content } from '@backstage/core-components';
import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { rootRouteRef } from '../routes';

/**
 * The admin page at `/external-secrets`; its title and icon also make the
 * app's nav item. The app draws the page header. @alpha
 */
export const externalSecretsPage = PageBlueprint.make({
  params: {
    path: '/external-secrets',
    title: 'External Secrets',
    icon: <VpnKeyIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('../components/ExternalSecretsOverview').then(m =>
        compatWrapper(
          <Content>
            <m.ExternalSecretsOverview />
          </Content>,
        ),
      ),
  },
});
