import { compatWrapper } from '@backstage/core-compat-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isExternalSecretsAvailable } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** The "Secrets" tab, on entities tied to ExternalSecrets. @alpha */
export const externalSecretsEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'external-secrets',
    title: 'Secrets',
    filter: isExternalSecretsAvailable,
    loader: () =>
      import('../components/EntityExternalSecretsContent').then(m =>
        compatWrapper(<m.EntityExternalSecretsContent />),
      ),
  },
});
