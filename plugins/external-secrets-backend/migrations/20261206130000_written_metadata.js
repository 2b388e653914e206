/*
 * The label and annotation KEYS (never values) an ExternalSecret last wrote on
 * its Secret, so keys it stops producing are removed as ESO removes the keys
 * its field manager owns (templating.GetManagedLabelKeys).
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table
      .text('written_metadata')
      .nullable()
      .comment(
        'JSON {labels: string[], annotations: string[]}: keys this ExternalSecret wrote on its Secret',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table.dropColumn('written_metadata');
  });
};
