import {
  StoreKeysResponse,
  StoreStatusDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** The seed's ClusterSecretStore as `GET /stores` reports it, Ready. */
export const INFISICAL_STORE: StoreStatusDto = {
  cluster: 'simulated-demo',
  kind: 'ClusterSecretStore',
  namespace: '',
  name: 'infisical-archon-platform',
  provider: 'infisical',
  origin: 'cluster',
  ready: true,
  reason: 'Valid',
  message: 'store validated',
};

/** A store whose last validation failed. */
export const BROKEN_STORE: StoreStatusDto = {
  cluster: '',
  kind: 'ClusterSecretStore',
  namespace: '',
  name: 'broken-store',
  provider: 'infisical',
  origin: 'config',
  ready: false,
  reason: 'InvalidProviderConfig',
  message: 'universal auth login answered HTTP 401 (reqId r-1)',
};

/** A SecretStore of namespace team-a. */
export const TEAM_STORE: StoreStatusDto = {
  cluster: 'simulated-demo',
  kind: 'SecretStore',
  namespace: 'team-a',
  name: 'team-store',
  origin: 'cluster',
  ready: true,
};

/** The key names of INFISICAL_STORE. */
export const INFISICAL_KEYS: StoreKeysResponse = {
  store: {
    cluster: 'simulated-demo',
    kind: 'ClusterSecretStore',
    namespace: '',
    name: 'infisical-archon-platform',
  },
  keys: ['/payments/DB_PASSWORD', '/payments/DB_USER', 'MY_SECRET_NAME'],
  truncated: false,
  complete: true,
};

/** A Ready AWS Secrets Manager store: its key names are literal secret names. */
export const AWS_STORE: StoreStatusDto = {
  cluster: 'simulated-demo',
  kind: 'ClusterSecretStore',
  namespace: '',
  name: 'aws-secrets-manager',
  provider: 'aws',
  origin: 'cluster',
  ready: true,
  reason: 'Valid',
  message: 'Listed AWS Secrets Manager in eu-west-1: 2 secret(s) visible',
};

/** The key names of AWS_STORE (ListSecrets names). */
export const AWS_KEYS: StoreKeysResponse = {
  store: {
    cluster: 'simulated-demo',
    kind: 'ClusterSecretStore',
    namespace: '',
    name: 'aws-secrets-manager',
  },
  keys: ['checkout/db', 'checkout/payment-gateway'],
  truncated: false,
  complete: true,
};
