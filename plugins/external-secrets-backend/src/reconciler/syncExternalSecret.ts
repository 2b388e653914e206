import {
  ExternalSecret,
  ParsedExternalSecret,
  parseExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ExternalSecretRecord } from '../database/StatusStore';
import { CycleContext, SyncOutcome } from './CycleContext';
import { decideMode, resolveStores, storeCatalog } from './decideMode';
import { reportFailure } from './externalSecretStatus';
import { observeExternalSecret } from './observeExternalSecret';
import { reconcileTarget } from './reconcileTarget';
import { describeIssues, failed, uidOf } from './syncRecords';
import { WorkItem } from './WorkItem';

export type { CycleContext, SyncOutcome } from './CycleContext';

/**
 * Handles one ExternalSecret: parse, decide mode and whether it is due, read its
 * keys through the cycle's clients, run the pure core, write only what changed,
 * and describe the outcome. Failures are recorded on the ExternalSecret, never
 * thrown past it.
 */
export async function syncExternalSecret(
  item: WorkItem,
  ctx: CycleContext,
): Promise<SyncOutcome> {
  const previous = sameObject(ctx.previous(item), item);
  if (item.error) return failed(item, ctx, previous, item.error);
  const parsed = parseExternalSecret(item.raw);
  if (!parsed.ok) {
    const message = describeIssues(parsed.issues);
    // Whose it is cannot be told without a parse: only where every
    // ExternalSecret is ours does the failure reach its status.
    if (item.inventory.config.esoFree) {
      await reportFailure(
        item,
        item.raw as ExternalSecret,
        ctx,
        previous,
        message,
      );
    }
    return failed(item, ctx, previous, message, 'Unsupported', parsed.issues);
  }
  const declared =
    item.origin === 'manifest' ? withoutOwner(parsed.value) : parsed.value;
  const catalog = storeCatalog(item, ctx);
  const stores = resolveStores(declared, item, catalog, ctx);
  const mode = decideMode(item, stores, ctx);
  if (mode.observe) {
    return observeExternalSecret(item, declared, ctx, previous, mode.reason);
  }
  if (mode.refuse) {
    return failed(
      item,
      ctx,
      previous,
      mode.refuse,
      'Error',
      undefined,
      declared,
    );
  }
  return reconcileTarget(item, declared, stores, ctx, previous);
}

/**
 * The record of this very object: an ExternalSecret deleted and recreated
 * with the same name has another uid, and is new to ESO (synced at once, no
 * backoff, no history of the old one's status).
 */
function sameObject(
  previous: ExternalSecretRecord | undefined,
  item: WorkItem,
): ExternalSecretRecord | undefined {
  const uid = uidOf(item);
  return previous?.uid && uid && previous.uid !== uid ? undefined : previous;
}

/**
 * A declared manifest has no ExternalSecret object in the cluster to own the
 * Secret (an ownerReference to a missing owner gets it garbage-collected), so
 * creationPolicy Owner acts as Orphan: created and updated, kept when the
 * declaration goes away.
 */
function withoutOwner(parsed: ParsedExternalSecret): ParsedExternalSecret {
  const { target } = parsed.externalSecret.spec;
  if (target.creationPolicy !== 'Owner') return parsed;
  return {
    ...parsed,
    externalSecret: {
      ...parsed.externalSecret,
      spec: {
        ...parsed.externalSecret.spec,
        target: { ...target, creationPolicy: 'Orphan' },
      },
    },
  };
}
