export { EntityExternalSecretsContent } from './EntityExternalSecretsContent';
