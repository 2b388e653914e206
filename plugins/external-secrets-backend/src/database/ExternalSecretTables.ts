import { createHash } from 'crypto';
import type { Knex } from 'knex';
import {
  ExternalSecretClaims,
  ExternalSecretId,
  ExternalSecretRecord,
  EntityStatusSnapshot,
  ExternalSecretState,
  KeyStatusRecord,
  RolloutRecord,
  StateCounts,
  StatusStore,
} from './StatusStore';
import {
  fromExternalSecretRow,
  fromKeyRow,
  idFilter,
  keysAsJson,
  onSameExternalSecret,
  PackedKey,
  RawExternalSecretRow,
  RawKeyRow,
  toDate,
  toRolloutColumn,
  unpackKey,
} from './rows';
import { writeExternalSecrets } from './writeExternalSecrets';

const ALL_STATES: ExternalSecretState[] = [
  'Synced',
  'Error',
  'Pending',
  'NotFound',
  'Unsupported',
];

/**
 * Rows per markAttempted statement: 3 parameters each stays far below
 * SQLite's and PostgreSQL's limits on bound parameters.
 */
const ATTEMPTED_BATCH = 500;

/**
 * The ExternalSecret tables: one status row per ExternalSecret
 * (`es_external_secrets`), its key rows (`es_keys`) and the entities that
 * claim it (`es_entity_claims`).
 */
export class ExternalSecretTables
  implements
    Pick<
      StatusStore,
      | 'saveExternalSecret'
      | 'getExternalSecret'
      | 'listByEntity'
      | 'entityStatusVersion'
      | 'readEntityStatuses'
      | 'entityStatusVersions'
      | 'listAll'
      | 'deleteExternalSecrets'
      | 'saveClaims'
      | 'listClaims'
      | 'requestSync'
      | 'markAttempted'
      | 'hasPendingSyncRequest'
      | 'saveRollout'
      | 'overview'
    >
{
  constructor(private readonly db: Knex) {}

  async saveExternalSecret(
    record: ExternalSecretRecord,
    claimants?: string[],
  ): Promise<void> {
    await this.db.transaction(tx =>
      writeExternalSecrets(tx, [{ record, claimants }]),
    );
  }

  async getExternalSecret(
    id: ExternalSecretId,
  ): Promise<ExternalSecretRecord | undefined> {
    const row = await this.db<RawExternalSecretRow>('es_external_secrets')
      .where(idFilter(id))
      .first();
    if (!row) return undefined;
    const [record] = await this.withKeys([row]);
    return record;
  }

  listByEntity(entityRef: string): Promise<ExternalSecretRecord[]> {
    return this.readEntityStatuses([entityRef]).then(
      statuses => statuses.get(entityRef)!.records,
    );
  }

  entityStatusVersion(entityRef: string): Promise<string> {
    return this.entityStatusVersions([entityRef]).then(
      versions => versions.get(entityRef)!,
    );
  }

  /**
   * The status API's hot path: the claimed rows of several entities and
   * their versions, in one query (the route batches concurrent requests). On
   * PostgreSQL each ExternalSecret row comes with its key rows packed as JSON
   * (a second query cost a pool acquisition and a round trip; a plain join
   * repeats every ExternalSecret column on each key row and costs more to
   * parse than it saves).
   */
  async readEntityStatuses(
    entityRefs: string[],
  ): Promise<Map<string, EntityStatusSnapshot>> {
    const keys = keysAsJson(this.db);
    const claimed = this.db('es_external_secrets as es')
      .innerJoin('es_entity_claims as c', onSameExternalSecret('es'))
      .whereIn('c.entity_ref', entityRefs)
      .orderBy(['es.cluster', 'es.namespace', 'es.name']);
    type ClaimedRow = RawExternalSecretRow & { claimant: string };
    const byEntity = emptyPerEntity<{
      row: ClaimedRow;
      record: ExternalSecretRecord;
    }>(entityRefs);
    if (!keys) {
      const rows: ClaimedRow[] = await claimed.select(
        'es.*',
        'c.entity_ref as claimant',
      );
      const records = await this.withKeys(rows);
      rows.forEach((row, i) =>
        byEntity.get(row.claimant)!.push({ row, record: records[i] }),
      );
    } else {
      const rows: (ClaimedRow & { keys_json: PackedKey[] })[] =
        await claimed.select('es.*', 'c.entity_ref as claimant', keys);
      // pg parses json columns: keys_json arrives as arrays.
      for (const row of rows) {
        const record = fromExternalSecretRow(
          row,
          row.keys_json.map(key => fromKeyRow(unpackKey(key))),
        );
        byEntity.get(row.claimant)!.push({ row, record });
      }
    }
    const statuses = new Map<string, EntityStatusSnapshot>();
    for (const [entityRef, found] of byEntity) {
      statuses.set(entityRef, {
        version: versionOf(found.map(c => c.row)),
        records: found.map(c => c.record),
      });
    }
    return statuses;
  }

  /**
   * The ETag source of the status route: the claimed rows' ids and update
   * times only (no key rows, no status columns), hashed, per entity.
   */
  async entityStatusVersions(
    entityRefs: string[],
  ): Promise<Map<string, string>> {
    const rows: { id: number; updated_at: Date | string; claimant: string }[] =
      await this.db('es_external_secrets as es')
        .innerJoin('es_entity_claims as c', onSameExternalSecret('es'))
        .whereIn('c.entity_ref', entityRefs)
        .select('es.id', 'es.updated_at', 'c.entity_ref as claimant');
    const byEntity = emptyPerEntity<(typeof rows)[number]>(entityRefs);
    for (const row of rows) byEntity.get(row.claimant)!.push(row);
    const versions = new Map<string, string>();
    for (const [entityRef, claimed] of byEntity) {
      versions.set(entityRef, versionOf(claimed));
    }
    return versions;
  }

  async listAll(): Promise<ExternalSecretRecord[]> {
    const rows = await this.db<RawExternalSecretRow>('es_external_secrets');
    return rows.map(row => fromExternalSecretRow(row, []));
  }

  async deleteExternalSecrets(ids: ExternalSecretId[]): Promise<void> {
    for (const id of ids) {
      // Claims and events go too: a later ExternalSecret of the same name
      // (another team's, perhaps) must not inherit who sees it or its history.
      await this.db.transaction(async tx => {
        await tx('es_external_secrets').where(idFilter(id)).delete();
        await tx('es_entity_claims').where(idFilter(id)).delete();
        await tx('es_events').where(idFilter(id)).delete();
      });
    }
  }

  async saveClaims(id: ExternalSecretId, claimants: string[]): Promise<void> {
    await this.db.transaction(tx => replaceClaims(tx, id, claimants));
  }

  async listClaims(): Promise<ExternalSecretClaims[]> {
    const rows: (ExternalSecretId & { entity_ref: string })[] = await this.db(
      'es_entity_claims',
    ).select('entity_ref', 'cluster', 'namespace', 'name');
    const byId = new Map<string, ExternalSecretClaims>();
    for (const row of rows) {
      const key = JSON.stringify([row.cluster, row.namespace, row.name]);
      let claims = byId.get(key);
      if (!claims) {
        claims = { ...idFilter(row), claimants: [] };
        byId.set(key, claims);
      }
      claims.claimants.push(row.entity_ref);
    }
    return [...byId.values()];
  }

  async saveRollout(
    id: ExternalSecretId,
    rollout: RolloutRecord | undefined,
  ): Promise<void> {
    await this.db('es_external_secrets')
      .where(idFilter(id))
      // updated_at too: the status route's ETag must change with the rollout.
      .update({
        rollout: toRolloutColumn(rollout),
        updated_at: new Date().toISOString(),
      });
  }

  async requestSync(ids: ExternalSecretId[], at: Date): Promise<void> {
    for (const id of ids) {
      await this.db('es_external_secrets')
        .where(idFilter(id))
        .update({ sync_requested_at: at.toISOString() });
    }
  }

  async markAttempted(ids: ExternalSecretId[], at: Date): Promise<void> {
    const updatedAt = new Date().toISOString();
    for (let i = 0; i < ids.length; i += ATTEMPTED_BATCH) {
      const batch = ids.slice(i, i + ATTEMPTED_BATCH);
      await this.db('es_external_secrets')
        .where(query => {
          for (const id of batch) query.orWhere(idFilter(id));
        })
        .update({ last_attempt_at: at.toISOString(), updated_at: updatedAt });
    }
  }

  async hasPendingSyncRequest(cluster: string): Promise<boolean> {
    const rows = await this.db<RawExternalSecretRow>('es_external_secrets')
      .where({ cluster })
      .whereNotNull('sync_requested_at')
      .select('sync_requested_at', 'last_attempt_at');
    return rows.some(row => {
      const requested = toDate(row.sync_requested_at);
      const attempted = toDate(row.last_attempt_at);
      return requested && (!attempted || requested > attempted);
    });
  }

  async overview(
    worstLimit: number,
  ): Promise<{ counts: StateCounts; failing: ExternalSecretRecord[] }> {
    const grouped: { state: string; count: string | number }[] = await this.db(
      'es_external_secrets',
    )
      .select('state')
      .count({ count: '*' })
      .groupBy('state');
    const counts = Object.fromEntries(
      ALL_STATES.map(state => [state, 0]),
    ) as StateCounts;
    for (const { state, count } of grouped) {
      counts[state as ExternalSecretState] = Number(count);
    }
    const failingRows = await this.db<RawExternalSecretRow>(
      'es_external_secrets',
    )
      .whereIn('state', ['Error', 'Unsupported', 'NotFound'])
      .orderBy([
        { column: 'consecutive_failures', order: 'desc' },
        { column: 'last_success_at', order: 'asc' },
      ])
      .limit(worstLimit);
    return { counts, failing: await this.withKeys(failingRows) };
  }

  private async withKeys(
    rows: RawExternalSecretRow[],
  ): Promise<ExternalSecretRecord[]> {
    if (rows.length === 0) return [];
    const keyRows = await this.db<RawKeyRow>('es_keys')
      .whereIn(
        'external_secret_id',
        rows.map(r => r.id),
      )
      .orderBy('id');
    const keysById = new Map<number, KeyStatusRecord[]>();
    for (const keyRow of keyRows) {
      const list = keysById.get(keyRow.external_secret_id) ?? [];
      list.push(fromKeyRow(keyRow));
      keysById.set(keyRow.external_secret_id, list);
    }
    return rows.map(row =>
      fromExternalSecretRow(row, keysById.get(row.id) ?? []),
    );
  }
}

/** An empty list per asked entity: one that claims nothing still has a status. */
function emptyPerEntity<T>(entityRefs: string[]): Map<string, T[]> {
  return new Map(entityRefs.map(ref => [ref, []]));
}

/** Changes whenever the set of rows or any row's `updated_at` does; order-independent. */
function versionOf(rows: { id: number; updated_at: Date | string }[]): string {
  const hash = createHash('sha256');
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    hash.update(`${row.id}@${toDate(row.updated_at)?.getTime()};`);
  }
  return hash.digest('base64url');
}

/** Replaces the claimants; the first becomes the row's entity_ref. */
async function replaceClaims(
  tx: Knex.Transaction,
  id: ExternalSecretId,
  claimants: string[],
) {
  const unique = [...new Set(claimants)];
  await tx('es_entity_claims').where(idFilter(id)).delete();
  if (unique.length === 0) return;
  await tx.batchInsert(
    'es_entity_claims',
    unique.map(entityRef => ({ entity_ref: entityRef, ...idFilter(id) })),
    100,
  );
  await tx('es_external_secrets')
    .where(idFilter(id))
    .update({ entity_ref: unique[0] });
}
