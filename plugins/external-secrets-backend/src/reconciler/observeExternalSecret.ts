import { ParsedExternalSecret } from '@internal/backstage-plugin-external-secrets-common';
import {
  ExternalSecretRecord,
  ExternalSecretState,
  KeyStatusRecord,
} from '../database/StatusStore';
import { CycleContext, SyncOutcome } from './CycleContext';
import { baseRecord, declaredKeys } from './syncRecords';
import { WorkItem } from './WorkItem';

/** Observe mode has no per-key truth: keys take the ExternalSecret's state. */
const OBSERVED_KEY_STATE: Record<
  ExternalSecretState,
  KeyStatusRecord['state']
> = {
  Synced: 'synced',
  Error: 'error',
  Pending: 'pending',
  NotFound: 'pending',
  Unsupported: 'unsupported',
};

/**
 * Observe mode: ESO syncs; we report what its status says and whether the
 * target exists, from Secret METADATA only (values never leave the apiserver).
 */
export async function observeExternalSecret(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
  why: string | undefined,
): Promise<SyncOutcome> {
  const es = parsed.externalSecret;
  const ready = es.status?.conditions?.find(c => c.type === 'Ready');
  let targetExists: boolean | undefined;
  try {
    targetExists = Boolean(
      await item.inventory.client.getSecretMetadata(
        item.namespace,
        es.spec.target.name,
      ),
    );
  } catch (e) {
    ctx.logger.warn(
      `Observe ${item.namespace}/${item.name}: ${(e as Error).message}`,
    );
  }
  let state: ExternalSecretState = 'Pending';
  if (ready?.status === 'True')
    state = targetExists === false ? 'NotFound' : 'Synced';
  if (ready?.status === 'False') state = 'Error';
  const message = [ready?.message, why].filter(Boolean).join('; ') || undefined;
  const keyState = OBSERVED_KEY_STATE[state];
  const record: ExternalSecretRecord = {
    ...baseRecord(item, parsed, 'observe'),
    state,
    reason: ready?.reason,
    message,
    dataHash: undefined,
    lastAttemptAt: ctx.now,
    lastSuccessAt: es.status?.refreshTime
      ? new Date(es.status.refreshTime)
      : undefined,
    consecutiveFailures: 0,
    keys: declaredKeys(parsed, keyState),
  };
  const changed =
    !previous ||
    previous.state !== record.state ||
    previous.message !== record.message ||
    previous.lastSuccessAt?.getTime() !== record.lastSuccessAt?.getTime();
  return { record, changed, events: [] };
}
