import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { DEFAULT_EVENTS_KEPT, EventTable, writeEvents } from './EventTable';
import { ExternalSecretTables } from './ExternalSecretTables';
import { ProviderChangeTables } from './ProviderChangeTables';
import { RateLimitTable } from './RateLimitTable';
import {
  EntityStatusSnapshot,
  ExternalSecretClaims,
  ExternalSecretId,
  ExternalSecretRecord,
  ProviderChangeRecord,
  RolloutRecord,
  StateCounts,
  StatusStore,
  StoreStatusRecord,
  SyncEvent,
  SyncResultSave,
} from './StatusStore';
import { migrateToLatest } from './migrateToLatest';
import { prepareSchedulerTables } from './schedulerTables';
import { StoreTable } from './StoreTable';
import { writeExternalSecrets } from './writeExternalSecrets';

const migrationsDir = resolvePackagePath(
  '@external-secrets-backstage/backstage-plugin-external-secrets-backend',
  'migrations',
);

/**
 * Knex implementation of {@link StatusStore} for SQLite and PostgreSQL. Each
 * group of tables has its own class; this one runs the migrations and
 * forwards to them.
 */
export class DatabaseStatusStore implements StatusStore {
  static async create(options: {
    database: DatabaseService;
    /** Where waiting for another replica's migration is logged. */
    logger?: LoggerService;
    /** The plugin's scheduler: its tables in this database are created under the same lock. */
    scheduler?: SchedulerService;
  }): Promise<DatabaseStatusStore> {
    const { scheduler } = options;
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateToLatest({
        knex: client,
        directory: migrationsDir,
        logger: options.logger,
        alsoUnderLock: scheduler && (() => prepareSchedulerTables(scheduler)),
      });
    }
    return new DatabaseStatusStore(client);
  }

  private readonly externalSecrets: ExternalSecretTables;
  private readonly events: EventTable;
  private readonly stores: StoreTable;
  private readonly providerChanges: ProviderChangeTables;
  private readonly rateLimits: RateLimitTable;

  private constructor(private readonly db: Knex) {
    this.externalSecrets = new ExternalSecretTables(db);
    this.events = new EventTable(db);
    this.stores = new StoreTable(db);
    this.providerChanges = new ProviderChangeTables(db);
    this.rateLimits = new RateLimitTable(db);
  }

  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }

  // ExternalSecrets, their keys and claims (ExternalSecretTables.ts)

  saveExternalSecret(
    record: ExternalSecretRecord,
    claimants?: string[],
  ): Promise<void> {
    return this.externalSecrets.saveExternalSecret(record, claimants);
  }

  async saveSyncResults(
    entries: SyncResultSave[],
    keepEventsPerExternalSecret = DEFAULT_EVENTS_KEPT,
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction(async tx => {
      await writeExternalSecrets(tx, entries);
      await writeEvents(
        tx,
        entries.flatMap(entry => entry.events),
        keepEventsPerExternalSecret,
      );
    });
  }

  getExternalSecret(
    id: ExternalSecretId,
  ): Promise<ExternalSecretRecord | undefined> {
    return this.externalSecrets.getExternalSecret(id);
  }

  listByEntity(entityRef: string): Promise<ExternalSecretRecord[]> {
    return this.externalSecrets.listByEntity(entityRef);
  }

  entityStatusVersion(entityRef: string): Promise<string> {
    return this.externalSecrets.entityStatusVersion(entityRef);
  }

  readEntityStatuses(
    entityRefs: string[],
  ): Promise<Map<string, EntityStatusSnapshot>> {
    return this.externalSecrets.readEntityStatuses(entityRefs);
  }

  entityStatusVersions(entityRefs: string[]): Promise<Map<string, string>> {
    return this.externalSecrets.entityStatusVersions(entityRefs);
  }

  listAll(): Promise<ExternalSecretRecord[]> {
    return this.externalSecrets.listAll();
  }

  deleteExternalSecrets(ids: ExternalSecretId[]): Promise<void> {
    return this.externalSecrets.deleteExternalSecrets(ids);
  }

  saveClaims(id: ExternalSecretId, claimants: string[]): Promise<void> {
    return this.externalSecrets.saveClaims(id, claimants);
  }

  listClaims(): Promise<ExternalSecretClaims[]> {
    return this.externalSecrets.listClaims();
  }

  saveRollout(
    id: ExternalSecretId,
    rollout: RolloutRecord | undefined,
  ): Promise<void> {
    return this.externalSecrets.saveRollout(id, rollout);
  }

  requestSync(ids: ExternalSecretId[], at: Date): Promise<void> {
    return this.externalSecrets.requestSync(ids, at);
  }

  markAttempted(ids: ExternalSecretId[], at: Date): Promise<void> {
    return this.externalSecrets.markAttempted(ids, at);
  }

  hasPendingSyncRequest(cluster: string): Promise<boolean> {
    return this.externalSecrets.hasPendingSyncRequest(cluster);
  }

  overview(
    worstLimit: number,
  ): Promise<{ counts: StateCounts; failing: ExternalSecretRecord[] }> {
    return this.externalSecrets.overview(worstLimit);
  }

  // Rate limits (RateLimitTable.ts)

  takeRateBudget(
    bucket: string,
    now: Date,
    max: number,
    windowMs: number,
  ): Promise<boolean> {
    return this.rateLimits.takeRateBudget(bucket, now, max, windowMs);
  }

  rateWindowEndsAt(
    bucket: string,
    windowMs: number,
  ): Promise<Date | undefined> {
    return this.rateLimits.rateWindowEndsAt(bucket, windowMs);
  }

  // Events (EventTable.ts)

  addEvent(event: SyncEvent, keepPerExternalSecret?: number): Promise<void> {
    return this.events.addEvent(event, keepPerExternalSecret);
  }

  listEvents(entityRef: string, limit: number): Promise<SyncEvent[]> {
    return this.events.listEvents(entityRef, limit);
  }

  // Stores (StoreTable.ts)

  saveStore(record: StoreStatusRecord): Promise<void> {
    return this.stores.saveStore(record);
  }

  listStores(): Promise<StoreStatusRecord[]> {
    return this.stores.listStores();
  }

  // Provider changes and webhook deliveries (ProviderChangeTables.ts)

  addProviderChange(
    change: Omit<ProviderChangeRecord, 'id'>,
    maxQueued: number,
  ): Promise<'queued' | 'coalesced' | 'merged'> {
    return this.providerChanges.addProviderChange(change, maxQueued);
  }

  rememberWebhookDelivery(
    signature: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    return this.providerChanges.rememberWebhookDelivery(
      signature,
      expiresAt,
      now,
    );
  }

  listProviderChanges(): Promise<ProviderChangeRecord[]> {
    return this.providerChanges.listProviderChanges();
  }

  deleteProviderChanges(upToId: number): Promise<void> {
    return this.providerChanges.deleteProviderChanges(upToId);
  }
}
