/*
 * The ExternalSecret's syncedResourceVersion (generation or manifest hash) at
 * its last attempt: a spec change after a failure is retried at once instead
 * of waiting out the failure's backoff.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table
      .string('attempted_resource_version')
      .nullable()
      .comment(
        'syncedResourceVersion of the spec last attempted; a different one ends a backoff',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table.dropColumn('attempted_resource_version');
  });
};
