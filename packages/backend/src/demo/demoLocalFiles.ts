import { localFileUrlReaderFactory } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';

/**
 * DEMO ONLY: lets Backstage's UrlReader read `file:` URLs below
 * `externalSecretsDemo.localFileRoots`, so the demo's local catalog file can
 * declare an ExternalSecret manifest. The plugin reads manifests only through
 * UrlReader; production backends register no local file reader.
 */
export const externalSecretsDemoLocalFiles = localFileUrlReaderFactory(config =>
  config.getOptionalBoolean('externalSecretsDemo.enabled')
    ? config.getOptionalStringArray('externalSecretsDemo.localFileRoots') ?? []
    : [],
);
