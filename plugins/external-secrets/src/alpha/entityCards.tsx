import { compatWrapper } from '@backstage/core-compat-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isExternalSecretsAvailable } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** The overview card, on entities tied to ExternalSecrets. @alpha */
export const externalSecretsEntityCard = EntityCardBlueprint.make({
  params: {
    type: 'content',
    filter: isExternalSecretsAvailable,
    loader: () =>
      import('../components/EntityExternalSecretsCard').then(m =>
        compatWrapper(<m.EntityExternalSecretsCard />),
      ),
  },
});
