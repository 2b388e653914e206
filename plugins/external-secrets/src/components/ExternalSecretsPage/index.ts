export { ExternalSecretsPage } from './ExternalSecretsPage';
