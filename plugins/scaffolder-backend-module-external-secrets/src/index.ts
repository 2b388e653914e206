/**
 * Scaffolder actions that create validated ExternalSecret manifests
 * (`external-secrets:create`) and link catalog entities to them
 * (`external-secrets:annotate`).
 *
 * @packageDocumentation
 */

export { scaffolderModule as default } from './module';
export {
  createExternalSecretAction,
  CREATE_EXTERNAL_SECRET_ACTION_ID,
} from './actions/createExternalSecretAction';
export type {
  CreateExternalSecretActionInput,
  CreateExternalSecretActionOutput,
  CreateExternalSecretDataEntry,
} from './actions/createExternalSecretAction';
export {
  createAnnotateEntityAction,
  ANNOTATE_ENTITY_ACTION_ID,
} from './actions/annotateEntityAction';
export { ExternalSecretsApi } from './api/ExternalSecretsApi';
export { renderExternalSecret } from './manifest/renderExternalSecret';
export type {
  ExternalSecretInput,
  RenderedExternalSecret,
} from './manifest/renderExternalSecret';
export { findUsableStore } from './api/findUsableStore';
export type { StoreSelection } from './api/findUsableStore';
export { findMissingKeys } from './api/findMissingKeys';
