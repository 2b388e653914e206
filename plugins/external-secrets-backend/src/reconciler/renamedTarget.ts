import { ExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ExternalSecretRecord } from '../database/StatusStore';
import { CycleContext } from './CycleContext';
import { deleteOrphanedSecret } from './SecretWriter';
import { WorkItem } from './WorkItem';

/**
 * Once the Secret is written under a new `spec.target.name`, the one it
 * wrote before is an orphan: ESO deletes it for creationPolicy Owner
 * (deleteOrphanedSecrets). Never for other policies or a declared manifest.
 */
export async function deleteRenamedFrom(
  item: WorkItem,
  es: ExternalSecret,
  previous: ExternalSecretRecord | undefined,
  targetName: string,
  ctx: CycleContext,
): Promise<string | undefined> {
  const oldName = previous?.targetSecret;
  if (
    item.origin !== 'cluster' ||
    es.spec.target.creationPolicy !== 'Owner' ||
    !oldName ||
    oldName === targetName
  ) {
    return undefined;
  }
  return deleteOrphanedSecret(item, es, oldName, ctx);
}
