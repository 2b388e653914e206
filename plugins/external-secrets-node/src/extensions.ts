import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { SecretsProvider } from './provider/types';

/**
 * Lets backend modules add secrets providers to the External Secrets backend.
 *
 * @public
 */
export interface ExternalSecretsProvidersExtensionPoint {
  /** Adds a provider; a second provider with the same `name` is an error at startup. */
  addProvider(provider: SecretsProvider): void;
}

/**
 * The extension point provider modules use to add a `SecretsProvider` to the backend plugin.
 *
 * @public
 */
export const externalSecretsProvidersExtensionPoint =
  createExtensionPoint<ExternalSecretsProvidersExtensionPoint>({
    id: 'external-secrets.providers',
  });
