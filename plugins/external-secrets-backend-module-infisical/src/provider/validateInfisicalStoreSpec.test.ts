import { simulatorTlsDir } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { infisicalStore } from '../__testUtils__/testWorld';
import { validateInfisicalStoreSpec } from './validateInfisicalStoreSpec';

type Spec = NonNullable<SecretStore['spec']['provider']['infisical']>;

function withSpec(
  change: (spec: Spec) => void,
  store = infisicalStore(),
): SecretStore {
  const copy = structuredClone(store);
  change(copy.spec.provider.infisical!);
  return copy;
}

/** A real CA certificate: the bundle is parsed, not just searched for its armour. */
const PEM_BASE64 = readFileSync(resolve(simulatorTlsDir(), 'ca.pem')).toString(
  'base64',
);

describe('validateInfisicalStoreSpec', () => {
  it('should accept the seed-shaped ClusterSecretStore', () => {
    const store = infisicalStore({
      caProvider: {
        type: 'ConfigMap',
        name: 'infisical-ca',
        key: 'ca.crt',
        namespace: 'external-secrets',
      },
    });
    expect(validateInfisicalStoreSpec(store)).toEqual([]);
  });

  it.each<[string, (spec: Spec) => void, string]>([
    [
      'an empty projectSlug',
      s => (s.secretsScope.projectSlug = ''),
      'spec.provider.infisical.secretsScope.projectSlug cannot be empty',
    ],
    [
      'an empty environmentSlug',
      s => (s.secretsScope.environmentSlug = ' '),
      'spec.provider.infisical.secretsScope.environmentSlug cannot be empty',
    ],
    [
      'a relative secretsPath',
      s => (s.secretsScope.secretsPath = 'app'),
      'spec.provider.infisical.secretsScope.secretsPath "app" must start with "/"',
    ],
    [
      'no auth method',
      s => (s.auth = {}),
      'spec.provider.infisical.auth needs exactly one auth method (supported: universalAuthCredentials, kubernetesAuthCredentials)',
    ],
    [
      'two auth methods',
      s =>
        (s.auth.kubernetesAuthCredentials = {
          identityId: { name: 'k', key: 'id' },
        }),
      'spec.provider.infisical.auth needs exactly one auth method, found universalAuthCredentials, kubernetesAuthCredentials',
    ],
    [
      'a credential without a key',
      s =>
        (s.auth.universalAuthCredentials!.clientSecret = {
          name: 'creds',
          key: '',
        }),
      'spec.provider.infisical.auth.universalAuthCredentials.clientSecret needs a Secret name and key',
    ],
    [
      'a caBundle that is not PEM',
      s => (s.caBundle = Buffer.from('hello').toString('base64')),
      'spec.provider.infisical.caBundle must be a base64-encoded PEM certificate bundle',
    ],
    [
      'caBundle and caProvider together',
      s => {
        s.caBundle = PEM_BASE64;
        s.caProvider = {
          type: 'ConfigMap',
          name: 'ca',
          key: 'ca.crt',
          namespace: 'ns',
        };
      },
      'spec.provider.infisical sets both caBundle and caProvider; use one',
    ],
    [
      'a ClusterSecretStore caProvider without namespace',
      s =>
        (s.caProvider = {
          type: 'ConfigMap',
          name: 'infisical-ca',
          key: 'ca.crt',
        }),
      'spec.provider.infisical.caProvider.namespace is required for ClusterSecretStore',
    ],
    [
      'a hostAPI that is not a URL',
      s => (s.hostAPI = 'infisical.local'),
      'spec.provider.infisical.hostAPI "infisical.local" is not a URL',
    ],
  ])('should reject %s, naming the field', (_case, change, message) => {
    expect(validateInfisicalStoreSpec(withSpec(change))).toContainEqual(
      expect.objectContaining({ severity: 'error', message }),
    );
  });

  it('should report other ESO auth kinds as not supported', () => {
    const store = withSpec(
      s => (s.auth = { unsupportedKinds: ['azureAuthCredentials'] }),
    );
    expect(validateInfisicalStoreSpec(store)).toEqual([
      {
        severity: 'unsupported',
        path: 'spec.provider.infisical.auth.azureAuthCredentials',
        message:
          'spec.provider.infisical.auth.azureAuthCredentials is not supported by this plugin (supported: universalAuthCredentials, kubernetesAuthCredentials)',
      },
    ]);
  });

  it('should apply the SecretStore namespace rules of ESO', () => {
    const store = withSpec(s => {
      s.auth.universalAuthCredentials!.clientId.namespace = 'elsewhere';
      s.auth.universalAuthCredentials!.clientSecret.namespace = 'team-a';
      s.caProvider = {
        type: 'Secret',
        name: 'ca',
        key: 'ca.crt',
        namespace: 'team-a',
      };
    }, infisicalStore({ kind: 'SecretStore', namespace: 'team-a', name: 'infisical' }));
    expect(validateInfisicalStoreSpec(store).map(i => i.message)).toEqual([
      'spec.provider.infisical.auth.universalAuthCredentials.clientId.namespace "elsewhere" must be empty or the SecretStore\'s namespace',
      'spec.provider.infisical.caProvider.namespace must be empty with SecretStore',
    ]);
  });

  it('should accept a base64 PEM caBundle and warn about plain http', () => {
    const store = withSpec(s => {
      s.caBundle = PEM_BASE64;
      s.hostAPI = 'http://infisical.local:8080';
    });
    expect(validateInfisicalStoreSpec(store)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: 'spec.provider.infisical.hostAPI',
      }),
    ]);
  });
});
