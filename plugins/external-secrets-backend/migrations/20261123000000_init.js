/*
 * Sync status of ExternalSecrets, per ExternalSecret and per key. These tables
 * hold key NAMES, remote references, versions, hashes and timestamps only:
 * never a secret value.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('es_external_secrets', table => {
    table.comment(
      'One row per ExternalSecret (cluster CR or entity-declared manifest) and cluster',
    );
    table.increments('id').comment('Surrogate key');
    table
      .string('entity_ref')
      .notNullable()
      .comment('Catalog entity the ExternalSecret belongs to');
    table.string('cluster').notNullable().comment('Cluster name from config');
    table.string('namespace').notNullable().comment('Kubernetes namespace');
    table.string('name').notNullable().comment('ExternalSecret name');
    table
      .string('origin')
      .notNullable()
      .comment("'cluster' (a CR) or 'manifest' (declared by the entity)");
    table
      .string('mode')
      .notNullable()
      .comment("Cluster mode: 'reconcile' or 'observe'");
    table.string('store_kind').nullable().comment('spec.secretStoreRef.kind');
    table.string('store_name').nullable().comment('spec.secretStoreRef.name');
    table.string('target_secret').notNullable().comment('spec.target.name');
    table
      .string('refresh_interval')
      .nullable()
      .comment('spec.refreshInterval as written');
    table.string('refresh_policy').nullable().comment('spec.refreshPolicy');
    table
      .string('creation_policy')
      .nullable()
      .comment('spec.target.creationPolicy');
    table
      .string('deletion_policy')
      .nullable()
      .comment('spec.target.deletionPolicy');
    table
      .string('state')
      .notNullable()
      .comment('Synced | Error | Pending | NotFound | Unsupported');
    table
      .string('reason')
      .nullable()
      .comment('Condition reason (SecretSynced, SecretSyncedError, ...)');
    table
      .text('message')
      .nullable()
      .comment('Condition message: the real cause, never a value');
    table
      .string('data_hash')
      .nullable()
      .comment('ESO data-hash of the written Secret data');
    table
      .string('synced_resource_version')
      .nullable()
      .comment('ESO syncedResourceVersion at the last sync');
    table
      .dateTime('last_attempt_at')
      .nullable()
      .comment('Last reconcile attempt');
    table
      .dateTime('last_success_at')
      .nullable()
      .comment('Last successful sync');
    table
      .dateTime('next_due_at')
      .nullable()
      .comment('When the next refresh is due');
    table
      .dateTime('sync_requested_at')
      .nullable()
      .comment(
        'Sync-now request time; the next cycle syncs when it is newer than last_attempt_at',
      );
    table
      .integer('consecutive_failures')
      .notNullable()
      .defaultTo(0)
      .comment('For exponential backoff');
    table.dateTime('updated_at').notNullable().comment('Row update time');
    table.unique(['cluster', 'namespace', 'name'], {
      indexName: 'es_external_secrets_uniq',
    });
    table.index(['entity_ref'], 'es_external_secrets_entity_idx');
    table.index(['state'], 'es_external_secrets_state_idx');
  });

  await knex.schema.createTable('es_keys', table => {
    table.comment(
      'One row per key mapping (data entry or dataFrom-produced key) of an ExternalSecret',
    );
    table.increments('id').comment('Surrogate key');
    table
      .integer('external_secret_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('es_external_secrets')
      .onDelete('CASCADE')
      .comment('Owning ExternalSecret row');
    table
      .string('source')
      .notNullable()
      .comment('Manifest entry, e.g. data[0] or dataFrom[1]');
    table
      .string('secret_key')
      .nullable()
      .comment('Key in the target Secret (absent for failed dataFrom)');
    table
      .string('remote_key')
      .nullable()
      .comment('remoteRef.key / extract.key / find summary');
    table.string('property').nullable().comment('remoteRef.property');
    table
      .string('store_kind')
      .nullable()
      .comment('Effective store kind for this entry');
    table
      .string('store_name')
      .nullable()
      .comment('Effective store name for this entry');
    table
      .string('state')
      .notNullable()
      .comment('synced | error | unsupported | pending | removed');
    table.string('reason').nullable().comment('Short reason code');
    table
      .text('message')
      .nullable()
      .comment('Real cause: key, path, store, HTTP status, request id');
    table
      .string('error_type')
      .nullable()
      .comment('Typed provider/cluster error');
    table.string('remote_version').nullable().comment('Provider-side version');
    table.index(['external_secret_id'], 'es_keys_es_idx');
  });

  await knex.schema.createTable('es_events', table => {
    table.comment('Bounded history of sync events per ExternalSecret');
    table.bigIncrements('id').comment('Surrogate key, increasing');
    table.string('entity_ref').notNullable().comment('Catalog entity');
    table.string('cluster').notNullable().comment('Cluster name');
    table.string('namespace').notNullable().comment('Namespace');
    table.string('name').notNullable().comment('ExternalSecret name');
    table
      .string('type')
      .notNullable()
      .comment(
        'synced | created | updated | deleted | error | refused | sync-requested',
      );
    table.text('message').nullable().comment('What happened, never a value');
    table
      .text('changed_keys')
      .nullable()
      .comment('JSON array of key NAMES changed');
    table.dateTime('created_at').notNullable().comment('When it happened');
    table.index(['entity_ref', 'created_at'], 'es_events_entity_idx');
    table.index(['cluster', 'namespace', 'name'], 'es_events_es_idx');
  });

  await knex.schema.createTable('es_sync_requests', table => {
    table.comment(
      'Sync-now requests, for the per-entity rate limit shared by all replicas',
    );
    table.bigIncrements('id').comment('Surrogate key');
    table
      .string('entity_ref')
      .notNullable()
      .comment('Entity the sync was requested for');
    table.dateTime('created_at').notNullable().comment('Request time');
    table.index(['entity_ref', 'created_at'], 'es_sync_requests_entity_idx');
  });

  await knex.schema.createTable('es_stores', table => {
    table.comment('Validation state of each SecretStore / ClusterSecretStore');
    table.increments('id').comment('Surrogate key');
    table
      .string('cluster')
      .notNullable()
      .comment("Cluster name, or '' for stores declared in app-config");
    table
      .string('kind')
      .notNullable()
      .comment('SecretStore | ClusterSecretStore');
    table
      .string('namespace')
      .notNullable()
      .comment("Namespace, '' for ClusterSecretStore");
    table.string('name').notNullable().comment('Store name');
    table
      .string('provider')
      .nullable()
      .comment('Provider name (infisical, fake, ...)');
    table.string('origin').notNullable().comment("'config' or 'cluster'");
    table.boolean('ready').notNullable().comment('Ready condition');
    table
      .string('reason')
      .nullable()
      .comment('Valid | InvalidProviderConfig | ...');
    table.text('message').nullable().comment('Cause, never a credential');
    table.dateTime('last_validated_at').nullable().comment('Last validation');
    table.dateTime('updated_at').notNullable().comment('Row update time');
    table.unique(['cluster', 'kind', 'namespace', 'name'], {
      indexName: 'es_stores_uniq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('es_stores');
  await knex.schema.dropTable('es_sync_requests');
  await knex.schema.dropTable('es_events');
  await knex.schema.dropTable('es_keys');
  await knex.schema.dropTable('es_external_secrets');
};
