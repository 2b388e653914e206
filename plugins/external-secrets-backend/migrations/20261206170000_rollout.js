/*
 * Rollout (issue #23): when the target Secret's data last changed (our write,
 * or the first time we saw ESO's new data-hash), and the workloads that read
 * it with their verdicts. Names, kinds, counts and times only: never a value.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table
      .timestamp('data_changed_at', { useTz: true })
      .nullable()
      .comment("When the target Secret's data-hash last changed");
    table
      .text('rollout')
      .nullable()
      .comment(
        'JSON {mode, consumers[], error?}: workloads reading the target Secret and their verdicts',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('es_external_secrets', table => {
    table.dropColumn('data_changed_at');
    table.dropColumn('rollout');
  });
};
