import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ESO_API_VERSION,
  parseSecretStore,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ProviderRegistry } from '../reconciler/ProviderRegistry';
import { ConfiguredStoreManifest } from './readExternalSecretsConfig';

/**
 * Parses the stores declared in app-config. A bad store is logged with its
 * config key and every issue, and left out: it fails the ExternalSecrets that
 * name it ("not found"), not the backend.
 */
export function readConfigStores(
  manifests: ConfiguredStoreManifest[],
  providers: ProviderRegistry,
  logger: LoggerService,
): SecretStore[] {
  const stores: SecretStore[] = [];
  for (const { configPath, manifest } of manifests) {
    const parsed = parseSecretStore({
      apiVersion: ESO_API_VERSION,
      ...manifest,
    });
    const issues = parsed.ok
      ? [...parsed.issues, ...providerIssues(parsed.value, providers)]
      : parsed.issues;
    const blocking = issues.filter(i => i.severity !== 'warning');
    for (const issue of issues) {
      const line = `${configPath}: ${issue.message}`;
      if (issue.severity === 'warning') logger.warn(line);
      else logger.error(line);
    }
    if (parsed.ok && blocking.length === 0) stores.push(parsed.value);
  }
  return stores;
}

function providerIssues(store: SecretStore, providers: ProviderRegistry) {
  const name = Object.keys(store.spec.provider).find(
    k => store.spec.provider[k] !== undefined,
  );
  const provider = name ? providers.get(name) : undefined;
  return provider ? provider.validateStoreSpec(store) : [];
}
