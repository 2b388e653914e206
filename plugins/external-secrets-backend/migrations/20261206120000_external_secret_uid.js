/*
 * The metadata.uid of the ExternalSecret a row describes. An ExternalSecret
 * deleted and recreated with the same name is a new object (ESO syncs it at
 * once): a row of another uid is not its history.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table
      .string('uid')
      .nullable()
      .comment(
        'metadata.uid of the ExternalSecret CR; null for declared manifests',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table.dropColumn('uid');
  });
};
