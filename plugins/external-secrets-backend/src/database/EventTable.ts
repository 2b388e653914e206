import type { Knex } from 'knex';
import { StatusStore, SyncEvent } from './StatusStore';
import { idFilter, onSameExternalSecret, toDate } from './rows';
import { anyOf, chunks } from './writeExternalSecrets';

export const DEFAULT_EVENTS_KEPT = 50;
/** 8 columns × 250 rows: 2,000 bind parameters per insert. */
const EVENTS_PER_STATEMENT = 250;
/** ExternalSecret ids per `(cluster, namespace, name) OR ...` filter. */
const IDS_PER_FILTER = 200;

type RawEventRow = {
  id: number;
  entity_ref: string;
  cluster: string;
  namespace: string;
  name: string;
  type: string;
  message: string | null;
  changed_keys: string | null;
  created_at: Date | string;
};

/** Sync events (`es_events`): the last few per ExternalSecret, shown to its claimants. */
export class EventTable
  implements Pick<StatusStore, 'addEvent' | 'listEvents'>
{
  constructor(private readonly db: Knex) {}

  async addEvent(
    event: SyncEvent,
    keepPerExternalSecret = DEFAULT_EVENTS_KEPT,
  ): Promise<void> {
    await this.db.transaction(tx =>
      writeEvents(tx, [event], keepPerExternalSecret),
    );
  }

  async listEvents(entityRef: string, limit: number): Promise<SyncEvent[]> {
    const rows: RawEventRow[] = await this.db('es_events as e')
      .innerJoin('es_entity_claims as c', onSameExternalSecret('e'))
      .where('c.entity_ref', entityRef)
      .orderBy('e.id', 'desc')
      .limit(limit)
      .select('e.*');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      cluster: row.cluster,
      namespace: row.namespace,
      name: row.name,
      type: row.type as SyncEvent['type'],
      message: row.message ?? undefined,
      changedKeys: row.changed_keys ? JSON.parse(row.changed_keys) : undefined,
      createdAt: toDate(row.created_at)!,
    }));
  }
}

/**
 * Appends the events inside `tx` (one insert per few hundred), then trims the
 * ExternalSecrets that now have more than `keepPerExternalSecret`: one
 * grouped count finds them, so a group of first events costs no per-row query.
 */
export async function writeEvents(
  tx: Knex.Transaction,
  events: SyncEvent[],
  keepPerExternalSecret: number,
): Promise<void> {
  if (events.length === 0) return;
  for (const group of chunks(events.map(toEventRow), EVENTS_PER_STATEMENT)) {
    await tx('es_events').insert(group);
  }
  const ids = [
    ...new Map(
      events.map(e => [JSON.stringify([e.cluster, e.namespace, e.name]), e]),
    ).values(),
  ];
  for (const group of chunks(ids, IDS_PER_FILTER)) {
    const full: { cluster: string; namespace: string; name: string }[] =
      await tx('es_events')
        .where(anyOf(group))
        .groupBy('cluster', 'namespace', 'name')
        .havingRaw('count(*) > ?', [keepPerExternalSecret])
        .select('cluster', 'namespace', 'name');
    for (const id of full) {
      await trimEvents(tx, id, keepPerExternalSecret);
    }
  }
}

function toEventRow(event: SyncEvent) {
  return {
    entity_ref: event.entityRef,
    cluster: event.cluster,
    namespace: event.namespace,
    name: event.name,
    type: event.type,
    message: event.message ?? null,
    changed_keys: event.changedKeys ? JSON.stringify(event.changedKeys) : null,
    created_at: event.createdAt.toISOString(),
  };
}

/** Deletes all but the newest `keep` events of one ExternalSecret. */
async function trimEvents(
  tx: Knex.Transaction,
  id: { cluster: string; namespace: string; name: string },
  keep: number,
) {
  const stale = await tx('es_events')
    .where(idFilter(id))
    .orderBy('id', 'desc')
    .offset(keep)
    .limit(1000)
    .select('id');
  if (stale.length > 0) {
    await tx('es_events')
      .whereIn(
        'id',
        stale.map(r => r.id),
      )
      .delete();
  }
}
