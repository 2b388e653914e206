import type { Knex } from 'knex';
import { StatusStore, SyncEvent } from './StatusStore';
import { idFilter, onSameExternalSecret, toDate } from './rows';

const DEFAULT_EVENTS_KEPT = 50;

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
    await this.db.transaction(async tx => {
      await tx('es_events').insert({
        entity_ref: event.entityRef,
        cluster: event.cluster,
        namespace: event.namespace,
        name: event.name,
        type: event.type,
        message: event.message ?? null,
        changed_keys: event.changedKeys
          ? JSON.stringify(event.changedKeys)
          : null,
        created_at: event.createdAt.toISOString(),
      });
      const stale = await tx('es_events')
        .where(idFilter(event))
        .orderBy('id', 'desc')
        .offset(keepPerExternalSecret)
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
    });
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
