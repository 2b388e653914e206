import { InfoCard } from '@backstage/core-components';
import {
  externalSecretsOverviewReadPermission,
  externalSecretsStoresReadPermission,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import type { ExternalSecretsApi } from '../../api/ExternalSecretsApi';
import { PlaygroundBanner } from '../PlaygroundBanner';
import { AdminSection } from './AdminSection';
import { FailingTable } from './FailingTable';
import { StateCounts } from './StateCounts';
import { StoresTable } from './StoresTable';
import { useAdminRead } from './useAdminRead';

const readOverview = (api: ExternalSecretsApi) => api.getOverview();
const readStores = (api: ExternalSecretsApi) => api.getStores();

/**
 * The admin view: counts by state across the catalog, the failing
 * ExternalSecrets with links to their entities, and the stores.
 */
export function ExternalSecretsOverview() {
  const overview = useAdminRead(readOverview);
  const stores = useAdminRead(readStores);
  return (
    <Grid container spacing={3}>
      {stores.value?.setup?.playground && (
        <Grid item xs={12}>
          <PlaygroundBanner setup={stores.value.setup} />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title="ExternalSecrets across the catalog">
          <AdminSection
            state={overview}
            deniedTitle="You do not have permission to view the catalog-wide overview"
            permission={externalSecretsOverviewReadPermission.name}
          >
            {value => (
              <>
                <StateCounts counts={value.counts} />
                <Box mt={3}>
                  <FailingTable failing={value.failing} />
                </Box>
              </>
            )}
          </AdminSection>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard>
          <AdminSection
            state={stores}
            deniedTitle="You do not have permission to view the stores"
            permission={externalSecretsStoresReadPermission.name}
          >
            {value => <StoresTable stores={value.stores} />}
          </AdminSection>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
