import type { Knex } from 'knex';
import { ProviderChangeRecord, StatusStore } from './StatusStore';
import { toDate } from './rows';

/** A provider change without a scope: every store of the provider may have changed. */
const EVERY_SCOPE = JSON.stringify({});

/**
 * What webhooks and polling report: queued provider changes
 * (`es_provider_changes`) and webhook deliveries already seen
 * (`es_webhook_deliveries`, against replays).
 */
export class ProviderChangeTables
  implements
    Pick<
      StatusStore,
      | 'addProviderChange'
      | 'rememberWebhookDelivery'
      | 'listProviderChanges'
      | 'deleteProviderChanges'
    >
{
  constructor(private readonly db: Knex) {}

  async addProviderChange(
    change: Omit<ProviderChangeRecord, 'id'>,
    maxQueued: number,
  ): Promise<'queued' | 'coalesced' | 'merged'> {
    const scope = JSON.stringify(change.scope);
    return this.db.transaction(async tx => {
      const pending = tx('es_provider_changes').where({
        provider: change.provider,
      });
      const insert = (queuedScope: string) =>
        tx('es_provider_changes').insert({
          provider: change.provider,
          scope: queuedScope,
          received_at: change.receivedAt.toISOString(),
        });
      // Replace rather than keep an older row of the same scope: a running
      // cycle may have listed it already and deletes it when done, although
      // this change may be newer than that cycle's read. A pending change of
      // every scope covers this one too.
      for (const same of [EVERY_SCOPE, scope]) {
        if ((await pending.clone().where({ scope: same }).delete()) > 0) {
          await insert(same);
          return 'coalesced';
        }
      }
      const [{ n }] = await pending.clone().count({ n: '*' });
      if (Number(n) >= maxQueued) {
        // Too many distinct scopes: one change of every scope (an empty scope
        // concerns every store of the provider) replaces them all.
        await pending.clone().delete();
        await insert(EVERY_SCOPE);
        return 'merged';
      }
      await insert(scope);
      return 'queued';
    });
  }

  async rememberWebhookDelivery(
    signature: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    await this.db('es_webhook_deliveries')
      .where('expires_at_ms', '<', now.getTime())
      .delete();
    // One statement: of two replicas inserting the same signature at once,
    // exactly one gets the row back.
    const inserted = await this.db('es_webhook_deliveries')
      .insert({ signature, expires_at_ms: expiresAt.getTime() })
      .onConflict('signature')
      .ignore()
      .returning('signature');
    return inserted.length === 1;
  }

  async listProviderChanges(): Promise<ProviderChangeRecord[]> {
    const rows = await this.db<{
      id: number | string;
      provider: string;
      scope: string;
      received_at: Date | string;
    }>('es_provider_changes').orderBy('id');
    return rows.map(row => ({
      id: Number(row.id),
      provider: row.provider,
      scope: JSON.parse(row.scope),
      receivedAt: toDate(row.received_at)!,
    }));
  }

  async deleteProviderChanges(upToId: number): Promise<void> {
    await this.db('es_provider_changes').where('id', '<=', upToId).delete();
  }
}
