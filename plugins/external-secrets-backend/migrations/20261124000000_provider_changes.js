/*
 * Change notifications received from providers (Infisical `secrets.modified`
 * webhooks): written by whichever replica receives the webhook, consumed by
 * the replica that runs the next cycle.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('es_provider_changes', table => {
    table.comment(
      'Provider change notifications (webhooks) waiting for the next cycle',
    );
    table.bigIncrements('id').comment('Surrogate key, in arrival order');
    table
      .string('provider')
      .notNullable()
      .comment('Provider the notification came from (infisical)');
    table
      .text('scope')
      .notNullable()
      .comment('JSON of what changed: project, environment, path. No values');
    table.dateTime('received_at').notNullable().comment('Arrival time');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('es_provider_changes');
};
