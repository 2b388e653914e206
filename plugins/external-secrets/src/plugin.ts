import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { externalSecretsApiRef } from './api/ExternalSecretsApi';
import { ExternalSecretsClient } from './api/ExternalSecretsClient';
import { rootRouteRef } from './routes';

/**
 * The External Secrets plugin for the legacy frontend system. New-system apps
 * use the default export of `@external-secrets-backstage/backstage-plugin-external-secrets/alpha`.
 *
 * @public
 */
export const externalSecretsPlugin = createPlugin({
  id: 'external-secrets',
  apis: [
    createApiFactory({
      api: externalSecretsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ExternalSecretsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * Entity overview card: the entity's ExternalSecrets, their state and key
 * mappings. Wrap it in an `EntitySwitch` with `isExternalSecretsAvailable`, or
 * leave it unwrapped to show the setup guide on entities without annotations.
 *
 * @public
 */
export const EntityExternalSecretsCard: (props: {
  /** The card's title; "External Secrets" by default. */
  title?: string;
}) => JSX.Element = externalSecretsPlugin.provide(
  createComponentExtension({
    name: 'EntityExternalSecretsCard',
    component: {
      lazy: () =>
        import('./components/EntityExternalSecretsCard').then(
          m => m.EntityExternalSecretsCard,
        ),
    },
  }),
);

/**
 * Entity tab content: the key mapping table, recent events, "Sync now" and the
 * declared manifests.
 *
 * @public
 */
export const EntityExternalSecretsContent: () => JSX.Element =
  externalSecretsPlugin.provide(
    createComponentExtension({
      name: 'EntityExternalSecretsContent',
      component: {
        lazy: () =>
          import('./components/EntityExternalSecretsContent').then(
            m => m.EntityExternalSecretsContent,
          ),
      },
    }),
  );

/**
 * The admin page: stores, counts by state and failing ExternalSecrets.
 *
 * @public
 */
export const ExternalSecretsPage: () => JSX.Element =
  externalSecretsPlugin.provide(
    createRoutableExtension({
      name: 'ExternalSecretsPage',
      component: () =>
        import('./components/ExternalSecretsPage').then(
          m => m.ExternalSecretsPage,
        ),
      mountPoint: rootRouteRef,
    }),
  );
