/*
 * Which catalog entities claim each ExternalSecret. Ownership is not exclusive
 * (as in the Kubernetes plugin): every entity whose binding selects a CR sees
 * its status and events and may sync it; a declared manifest is claimed by its
 * declaring entity only. es_external_secrets.entity_ref stays the first
 * claimant, named in messages.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('es_entity_claims', table => {
    table.comment(
      'Entities that claim an ExternalSecret: each sees it in the status API and may sync it',
    );
    table.increments('id').comment('Surrogate key');
    table
      .string('entity_ref')
      .notNullable()
      .comment('Catalog entity whose binding claims the ExternalSecret');
    table.string('cluster').notNullable().comment('Cluster name from config');
    table.string('namespace').notNullable().comment('Kubernetes namespace');
    table.string('name').notNullable().comment('ExternalSecret name');
    table.unique(['entity_ref', 'cluster', 'namespace', 'name'], {
      indexName: 'es_entity_claims_uniq',
    });
    table.index(['cluster', 'namespace', 'name'], 'es_entity_claims_es_idx');
  });
  // Rows written before claims existed: their one entity claims them.
  await knex
    .insert(
      knex('es_external_secrets').select(
        'entity_ref',
        'cluster',
        'namespace',
        'name',
      ),
    )
    .into(
      knex.raw('?? (??, ??, ??, ??)', [
        'es_entity_claims',
        'entity_ref',
        'cluster',
        'namespace',
        'name',
      ]),
    );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('es_entity_claims');
};
