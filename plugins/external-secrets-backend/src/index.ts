export { externalSecretsPlugin as default } from './plugin';
