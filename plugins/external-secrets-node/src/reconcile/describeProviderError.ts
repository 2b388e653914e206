import type { ProviderError } from '../provider/ProviderError';

/**
 * The provider's message plus the details it does not already state (store,
 * HTTP status, request id, hint), so a condition names the real cause.
 */
export function describeProviderError(error: ProviderError): string {
  const { store, httpStatus, requestId, hint } = error.details;
  const extras: string[] = [];
  if (store && !error.message.includes(store)) extras.push(`store ${store}`);
  if (httpStatus !== undefined && !error.message.includes(String(httpStatus)))
    extras.push(`HTTP ${httpStatus}`);
  if (requestId && !error.message.includes(requestId))
    extras.push(`request id ${requestId}`);
  const suffix = extras.length ? ` (${extras.join(', ')})` : '';
  const advice = hint && !error.message.includes(hint) ? `; ${hint}` : '';
  return `${error.errorType}: ${error.message}${suffix}${didYouMean(
    error,
  )}${advice}`;
}

/** `; did you mean "A" or "B"?` from the provider's nearest key names, else ''. */
export function didYouMean(error: ProviderError): string {
  const similar = error.details.similarKeys ?? [];
  if (similar.length === 0) return '';
  return `; did you mean ${similar.map(k => `"${k}"`).join(' or ')}?`;
}
