/*
 * Replay protection for provider webhooks: the signature of every accepted
 * delivery is remembered until its timestamp is outside the accepted window,
 * so a captured delivery POSTed again is refused on every replica. Holds
 * signatures (HMACs of the body) and times only: never a value or a secret.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('es_webhook_deliveries', table => {
    table.comment(
      'Signatures of accepted webhook deliveries, remembered until they expire, to refuse replays',
    );
    table
      .string('signature', 128)
      .primary()
      .comment(
        'Provider and hex HMAC of the delivery body, e.g. infisical:ab12...',
      );
    table
      .bigInteger('expires_at_ms')
      .notNullable()
      .comment(
        'Epoch ms after which the delivery is too old to be accepted anyway',
      );
    table.index(['expires_at_ms'], 'es_webhook_deliveries_expiry_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('es_webhook_deliveries');
};
