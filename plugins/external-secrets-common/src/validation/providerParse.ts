import { StoreKind } from '../types/eso';
import { ValidationIssue } from '../types/validation';

/** Where a store may read its own Secrets and ConfigMaps from. */
export type StoreScope = { kind: StoreKind; namespace?: string };

/** The provider block, its blocking issues, and issues the provider must act on. */
export type ProviderParse<T> = {
  value?: T;
  issues: ValidationIssue[];
  /**
   * Reported but not failing the parse: the store is still returned so that
   * its provider can refuse it with a clear status (unsupported auth kinds).
   */
  deferred: ValidationIssue[];
};
