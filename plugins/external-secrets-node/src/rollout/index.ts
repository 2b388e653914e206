export * from './types';
export {
  findConsumer,
  findConsumers,
  findSecretUses,
  podTemplateOf,
  updateModeOf,
} from './findConsumers';
export { consumerVerdict } from './consumerVerdict';
export {
  ANNOTATION_RESTART_ON_CHANGE,
  RELOADER_ANNOTATIONS,
  restartOptIn,
} from './restartOptIn';
export type { RestartOptIn } from './restartOptIn';
export {
  alreadyRestartedFor,
  lastReloadedFrom,
  restartAnnotation,
} from './restartAnnotation';
export type { ReloadSource } from './restartAnnotation';
