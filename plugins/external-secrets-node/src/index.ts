/**
 * Backend library of the External Secrets plugins: the provider contract and its
 * extension point, the value type that cannot leak, and the pure reconcile core.
 *
 * @packageDocumentation
 */

export * from './extensions';
export * from './provider/types';
export * from './provider/ProviderError';
export { closestNames } from './provider/closestNames';
export * from './values/SecretValue';
export * from './reconcile/types';
export {
  computeDataHash,
  computeCreatedByLabel,
} from './reconcile/computeDataHash';
export { syncedResourceVersion } from './reconcile/syncedResourceVersion';
export { isUnchanged } from './reconcile/desiredSecret';
export { isDue } from './reconcile/isDue';
export { propertyFailure } from './reconcile/propertyFailure';
export type { DueDecision, DueReason, IsDueInput } from './reconcile/isDue';
export { planReads, storeRefKey } from './reconcile/planReads';
export { reconcileExternalSecret } from './reconcile/reconcileExternalSecret';
export { templateSourceRefs } from './reconcile/templateFrom';
export { RECONCILE_MESSAGES } from './reconcile/conditions';
export { renderTemplate } from './template/renderTemplate';
export type { RenderTemplateInput } from './template/renderTemplate';
export { TemplateError } from './template/TemplateError';
export { createFakeProvider } from './providers/fake/createFakeProvider';
export * from './rollout';
