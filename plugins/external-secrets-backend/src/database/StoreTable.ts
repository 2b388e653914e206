import type { Knex } from 'knex';
import { StatusStore, StoreStatusRecord } from './StatusStore';
import { toDate } from './rows';

type RawStoreRow = {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  provider: string | null;
  origin: string;
  ready: boolean | number;
  reason: string | null;
  message: string | null;
  last_validated_at: Date | string | null;
};

/** Validation status of SecretStores and ClusterSecretStores (`es_stores`). */
export class StoreTable
  implements Pick<StatusStore, 'saveStore' | 'listStores'>
{
  constructor(private readonly db: Knex) {}

  async saveStore(record: StoreStatusRecord): Promise<void> {
    await this.db('es_stores')
      .insert({
        cluster: record.cluster,
        kind: record.kind,
        namespace: record.namespace,
        name: record.name,
        provider: record.provider ?? null,
        origin: record.origin,
        ready: record.ready,
        reason: record.reason ?? null,
        message: record.message ?? null,
        last_validated_at: record.lastValidatedAt?.toISOString() ?? null,
        updated_at: new Date().toISOString(),
      })
      .onConflict(['cluster', 'kind', 'namespace', 'name'])
      .merge();
  }

  async listStores(): Promise<StoreStatusRecord[]> {
    const rows = await this.db<RawStoreRow>('es_stores').orderBy([
      'cluster',
      'kind',
      'namespace',
      'name',
    ]);
    return rows.map(row => ({
      cluster: row.cluster,
      kind: row.kind as StoreStatusRecord['kind'],
      namespace: row.namespace,
      name: row.name,
      provider: row.provider ?? undefined,
      origin: row.origin as StoreStatusRecord['origin'],
      ready: Boolean(row.ready),
      reason: row.reason ?? undefined,
      message: row.message ?? undefined,
      lastValidatedAt: toDate(row.last_validated_at),
    }));
  }
}
