export { EntityExternalSecretsCard } from './EntityExternalSecretsCard';
