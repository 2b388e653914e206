export { ExternalSecretManifest } from './ExternalSecretManifest';
