import { Content, Header, Page } from '@backstage/core-components';
import { ExternalSecretsOverview } from '../ExternalSecretsOverview';

/**
 * The admin page for the legacy frontend system, with its own header (the new
 * system's page extension gets its header from the app).
 *
 * @public
 */
export function ExternalSecretsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="External Secrets"
        subtitle="Stores, sync state across the catalog and failing ExternalSecrets"
      />
      <Content>
        <ExternalSecretsOverview />
      </Content>
    </Page>
  );
}
