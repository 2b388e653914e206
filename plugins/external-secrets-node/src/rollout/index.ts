export * from './types';
export {
  findConsumer,
  findConsumers,
  findSecretUses,
  updateModeOf,
} from './findConsumers';
export { podTemplateOf } from './podTemplate';
export { RELOADER_ANNOTATIONS } from './reloaderAnnotations';
export { consumerVerdict } from './consumerVerdict';
export { ANNOTATION_RESTART_ON_CHANGE, restartOptIn } from './restartOptIn';
export type { RestartOptIn } from './restartOptIn';
export {
  alreadyRestartedFor,
  lastReloadedFrom,
  restartAnnotation,
} from './restartAnnotation';
export type { ReloadSource } from './restartAnnotation';
