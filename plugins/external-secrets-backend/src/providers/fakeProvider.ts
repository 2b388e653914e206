import { RootConfigService } from '@backstage/backend-plugin-api';
import { createFakeProvider } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ProviderRegistry } from '../reconciler/ProviderRegistry';

/** The switch for ESO's `fake` provider; default false. */
export const FAKE_PROVIDER_ENABLED_KEY =
  'externalSecrets.providers.fake.enabled';

/**
 * Registers ESO's `fake` provider (values written in the store spec itself)
 * only when config turns it on: in production a ClusterSecretStore with
 * `provider.fake` must be "not installed", never a source of Secrets. The
 * demo and tests enable it.
 */
export function registerFakeProviderIfEnabled(
  config: RootConfigService,
  providers: ProviderRegistry,
): boolean {
  const enabled = config.getOptionalBoolean(FAKE_PROVIDER_ENABLED_KEY) ?? false;
  if (enabled) providers.add(createFakeProvider());
  return enabled;
}
