import { closestNames } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

/** "Did you mean" names per unreadable key. */
export const MAX_SUGGESTIONS = 5;

/**
 * "Did you mean": the provider's nearest names, then the nearest names of
 * the store's listing, then the same name in other folders. A listing that
 * fails only loses the extra suggestions.
 */
export async function keySuggestions(
  key: string,
  fromProvider: string[],
  names: () => Promise<string[]>,
): Promise<string[]> {
  const listed = await names().catch(() => [] as string[]);
  const leaf = (name: string) => name.slice(name.lastIndexOf('/') + 1);
  const sameName = listed.filter(
    name => name !== key && leaf(name) === leaf(key),
  );
  return [
    ...new Set([...fromProvider, ...closestNames(key, listed), ...sameName]),
  ].slice(0, MAX_SUGGESTIONS);
}
