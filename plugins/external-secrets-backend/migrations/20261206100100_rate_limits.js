/*
 * Rate limits shared by all replicas (sync-now per entity, key listing per
 * user and store): one row per bucket, a fixed window and the requests spent
 * in it, checked and counted by ONE atomic upsert. Replaces es_sync_requests,
 * whose count-then-insert let two replicas both pass the last free slot.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('es_rate_limits', table => {
    table.comment(
      'Fixed-window request budgets, e.g. sync-now per entity; one atomic upsert checks and counts',
    );
    table
      .string('bucket', 512)
      .primary()
      .comment('What is limited, e.g. sync-now:<entity ref>');
    table
      .bigInteger('window_start_ms')
      .notNullable()
      .comment('Epoch ms the current window started');
    table
      .integer('used')
      .notNullable()
      .comment('Requests counted in the current window');
    table.index(['window_start_ms'], 'es_rate_limits_window_idx');
  });
  await knex.schema.dropTable('es_sync_requests');
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.createTable('es_sync_requests', table => {
    table.bigIncrements('id');
    table.string('entity_ref').notNullable();
    table.dateTime('created_at').notNullable();
    table.index(['entity_ref', 'created_at'], 'es_sync_requests_entity_idx');
  });
  await knex.schema.dropTable('es_rate_limits');
};
