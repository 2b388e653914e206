import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import externalSecretsPlugin from '@external-secrets-backstage/backstage-plugin-external-secrets/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';

export default createApp({
  // `app.packages: all` discovers the plugins in package.json as well; listing
  // External Secrets here keeps it installed when discovery is narrowed.
  features: [catalogPlugin, externalSecretsPlugin, navModule, homeModule],
});
