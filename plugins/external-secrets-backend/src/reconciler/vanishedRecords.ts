import { LoggerService } from '@backstage/backend-plugin-api';
import { ExternalSecretRecord, StatusStore } from '../database/StatusStore';
import { ClusterInventory } from './ClusterInventory';
import { WorkItem, workItemKey } from './WorkItem';

/**
 * Status rows of ExternalSecrets the cycle did not see: kept and marked stale
 * when their cluster could not be listed, forgotten when nothing claims them.
 */

/** ExternalSecrets of a cluster that could not be listed keep their keys and say why they are stale. */
export async function markUnreadableClusters(options: {
  inventories: ClusterInventory[];
  previous: Map<string, ExternalSecretRecord>;
  now: Date;
  statusStore: StatusStore;
  logger: LoggerService;
}) {
  const { inventories, previous, now, statusStore, logger } = options;
  for (const inventory of inventories) {
    if (!inventory.error) continue;
    const message = `cluster ${inventory.config.name} could not be read: ${inventory.error.message}`;
    logger.warn(message);
    for (const record of previous.values()) {
      if (
        record.cluster !== inventory.config.name ||
        record.message === message
      )
        continue;
      // listAll carries no keys: save the full row so its keys survive.
      const full = await statusStore.getExternalSecret(record);
      if (!full) continue;
      await statusStore.saveExternalSecret({
        ...full,
        state: 'Error',
        reason: 'ClusterUnreachable',
        message,
        lastAttemptAt: now,
      });
    }
  }
}

/**
 * Forgets ExternalSecrets that no entity claims any more. Rows of a cluster
 * that could not be listed this cycle are kept: absence of evidence is not
 * evidence of absence.
 */
export async function forgetVanished(options: {
  items: WorkItem[];
  inventories: ClusterInventory[];
  previous: Map<string, ExternalSecretRecord>;
  statusStore: StatusStore;
}) {
  const { items, inventories, previous, statusStore } = options;
  const seen = new Set(
    items.map(i => workItemKey({ cluster: i.inventory.config.name, ...i })),
  );
  const unreadable = new Set(
    inventories.filter(i => i.error).map(i => i.config.name),
  );
  const vanished = [...previous.values()].filter(
    record => !seen.has(workItemKey(record)) && !unreadable.has(record.cluster),
  );
  if (vanished.length > 0) await statusStore.deleteExternalSecrets(vanished);
}
