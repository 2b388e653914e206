import type { Knex } from 'knex';
import { StatusStore } from './StatusStore';

/** Rate-limit rows older than this are forgotten (longer windows are not supported). */
const MAX_RATE_WINDOW_MS = 60 * 60_000;

/** Fixed-window budgets shared by every replica (`es_rate_limits`). */
export class RateLimitTable
  implements Pick<StatusStore, 'takeRateBudget' | 'rateWindowEndsAt'>
{
  constructor(private readonly db: Knex) {}

  async takeRateBudget(
    bucket: string,
    now: Date,
    max: number,
    windowMs: number,
  ): Promise<boolean> {
    const nowMs = now.getTime();
    await this.db('es_rate_limits')
      .where('window_start_ms', '<', nowMs - MAX_RATE_WINDOW_MS)
      .delete();
    // ONE statement checks and counts: a count-then-insert lets two replicas
    // both take the last slot. On conflict the row is locked (PostgreSQL) or
    // the database is (SQLite), and the WHERE sees the latest count; no row
    // comes back when the budget is spent. All SET expressions read the old row.
    const expired = this.db.raw('?? <= ?', [
      'es_rate_limits.window_start_ms',
      nowMs - windowMs,
    ]);
    const counted = await this.db('es_rate_limits')
      .insert({ bucket, window_start_ms: nowMs, used: 1 })
      .onConflict('bucket')
      .merge({
        window_start_ms: this.db.raw('case when ? then ? else ?? end', [
          expired,
          nowMs,
          'es_rate_limits.window_start_ms',
        ]),
        used: this.db.raw('case when ? then 1 else ?? + 1 end', [
          expired,
          'es_rate_limits.used',
        ]),
      })
      .where(q => q.where(expired).orWhere('es_rate_limits.used', '<', max))
      .returning('used');
    return counted.length === 1;
  }

  /** When the bucket's current window ends (a refused caller may retry then). */
  async rateWindowEndsAt(
    bucket: string,
    windowMs: number,
  ): Promise<Date | undefined> {
    const row = await this.db('es_rate_limits')
      .where({ bucket })
      .first('window_start_ms');
    return row ? new Date(Number(row.window_start_ms) + windowMs) : undefined;
  }
}
