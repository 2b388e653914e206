export { ExternalSecretsOverview } from './ExternalSecretsOverview';
