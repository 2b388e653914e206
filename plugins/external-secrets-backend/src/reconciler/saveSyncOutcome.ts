import { StatusStore } from '../database/StatusStore';
import { SyncOutcome } from './syncExternalSecret';
import { SyncResultSaves } from './SyncResultSaves';
import { WorkItem, workItemKey } from './WorkItem';

/**
 * Saves what changed: the status row, who claims the ExternalSecret when
 * that set changed (an entity's selector, a CR's labels), and its sync
 * events. A changed row goes through the cycle's group commit.
 */
export async function saveSyncOutcome(options: {
  item: WorkItem;
  outcome: SyncOutcome;
  previousClaims: Map<string, string[]>;
  saves: SyncResultSaves;
  statusStore: StatusStore;
  eventsPerExternalSecret: number;
}): Promise<void> {
  const { item, outcome, statusStore } = options;
  const key = workItemKey({ cluster: item.inventory.config.name, ...item });
  const claims = sameClaimants(options.previousClaims.get(key), item.claimants)
    ? undefined
    : item.claimants;
  if (outcome.changed) {
    await options.saves.save({
      record: outcome.record,
      claimants: claims,
      events: outcome.events,
    });
    return;
  }
  if (claims) await statusStore.saveClaims(outcome.record, claims);
  for (const event of outcome.events) {
    await statusStore.addEvent(event, options.eventsPerExternalSecret);
  }
}

function sameClaimants(stored: string[] | undefined, current: string[]) {
  if (!stored || stored.length !== current.length) return false;
  const set = new Set(stored);
  return current.every(entityRef => set.has(entityRef));
}
