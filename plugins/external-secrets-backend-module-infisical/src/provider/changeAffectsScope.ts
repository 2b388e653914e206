import { ProviderChange } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

/**
 * Whether an Infisical `secrets.modified` notification concerns a store.
 * Matched on environment and project only, not on folder: a `remoteRef.key`
 * such as `/shared/DB_URL` reads a folder outside the store's
 * `secretsPath`, so a change anywhere in the environment may concern it.
 * The project matches by id when the store's project slug has been resolved
 * (the webhook names the project by id, the store by slug); before that,
 * every project matches: one list too many rather than a change missed.
 */
export function changeAffectsScope(
  scope: { environment: string },
  knownProjectIds: string[],
  change: ProviderChange,
): boolean {
  const { environment, projectId } = change.scope;
  if (environment && environment !== scope.environment) return false;
  if (projectId && knownProjectIds.length > 0) {
    return knownProjectIds.includes(projectId);
  }
  return true;
}
