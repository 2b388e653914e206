import type { Knex } from 'knex';
import { ExternalSecretId, ExternalSecretRecord } from './StatusStore';
import { idFilter, toExternalSecretRow, toKeyRow } from './rows';

/** One ExternalSecret's save: its row, key rows and (when given) claimants. */
export type ExternalSecretSave = {
  record: ExternalSecretRecord;
  /** Replaces the entities that claim it; absent: the record's entityRef claims it too. */
  claimants?: string[];
};

/**
 * Rows per statement: 30 columns × 100 = 3,000 bind parameters, far under
 * SQLite's 32,766 and PostgreSQL's 65,535.
 */
const ROWS_PER_STATEMENT = 100;
/** ExternalSecret ids per `(cluster, namespace, name) OR ...` filter (3 parameters each). */
const IDS_PER_FILTER = 200;
const CLAIM_COLUMNS = ['entity_ref', 'cluster', 'namespace', 'name'];

/**
 * Writes the ExternalSecrets' rows, replaces their key rows and saves their
 * claims, inside `tx`, a few statements for the whole group instead of a
 * transaction of six to eight per ExternalSecret (a cold cycle at 1,000
 * ExternalSecrets spent a fifth of its CPU building and running those). The
 * result is what saving each in turn gives: the last save of an
 * ExternalSecret wins, `rollout` and `sync_requested_at` are kept unless
 * written (the upsert merges only the columns the row carries), and named
 * claimants replace the old ones, the first becoming the row's entityRef.
 */
export async function writeExternalSecrets(
  tx: Knex.Transaction,
  saves: ExternalSecretSave[],
): Promise<void> {
  const latest = lastSavePerExternalSecret(saves);
  if (latest.length === 0) return;
  for (const group of chunks(latest.map(toRow), ROWS_PER_STATEMENT)) {
    await tx('es_external_secrets')
      .insert(group)
      .onConflict(['cluster', 'namespace', 'name'])
      .merge();
  }
  await writeClaims(tx, latest);
  await replaceKeys(tx, latest);
}

function toRow({ record, claimants }: ExternalSecretSave) {
  const row = toExternalSecretRow(record);
  const first = claimants?.[0];
  return first === undefined ? row : { ...row, entity_ref: first };
}

/** Deletes the claims of the saves that name their claimants, then inserts every save's claims. */
async function writeClaims(tx: Knex.Transaction, saves: ExternalSecretSave[]) {
  const replaced = saves
    .filter(save => save.claimants)
    .map(save => save.record);
  for (const ids of chunks(replaced, IDS_PER_FILTER)) {
    await tx('es_entity_claims').where(anyOf(ids)).delete();
  }
  const claims = saves.flatMap(({ record, claimants }) =>
    [...new Set(claimants ?? [record.entityRef])].map(entityRef => ({
      entity_ref: entityRef,
      ...idFilter(record),
    })),
  );
  for (const group of chunks(claims, ROWS_PER_STATEMENT * 5)) {
    await tx('es_entity_claims')
      .insert(group)
      .onConflict(CLAIM_COLUMNS)
      .ignore();
  }
}

async function replaceKeys(tx: Knex.Transaction, saves: ExternalSecretSave[]) {
  const idOf = new Map<string, number>();
  for (const group of chunks(saves, IDS_PER_FILTER)) {
    const rows: (ExternalSecretId & { id: number })[] = await tx(
      'es_external_secrets',
    )
      .where(anyOf(group.map(save => save.record)))
      .select('id', 'cluster', 'namespace', 'name');
    for (const row of rows) idOf.set(keyOf(row), row.id);
  }
  const ids = [...idOf.values()];
  for (const group of chunks(ids, ROWS_PER_STATEMENT * 5)) {
    await tx('es_keys').whereIn('external_secret_id', group).delete();
  }
  const keyRows = saves.flatMap(({ record }) => {
    const id = idOf.get(keyOf(record))!;
    return record.keys.map(key => toKeyRow(id, key));
  });
  for (const group of chunks(keyRows, ROWS_PER_STATEMENT * 2)) {
    await tx('es_keys').insert(group);
  }
}

/** `(cluster, namespace, name) = (…) OR …`: a row-value IN list is not portable across our databases. */
export function anyOf(ids: ExternalSecretId[]) {
  return (builder: Knex.QueryBuilder) => {
    for (const id of ids) builder.orWhere(idFilter(id));
  };
}

function lastSavePerExternalSecret(
  saves: ExternalSecretSave[],
): ExternalSecretSave[] {
  const byId = new Map<string, ExternalSecretSave>();
  for (const save of saves) {
    const key = keyOf(save.record);
    byId.delete(key);
    byId.set(key, save);
  }
  return [...byId.values()];
}

function keyOf(id: ExternalSecretId): string {
  return JSON.stringify([id.cluster, id.namespace, id.name]);
}

export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}
