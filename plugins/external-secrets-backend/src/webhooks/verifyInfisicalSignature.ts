import { createHmac, timingSafeEqual } from 'node:crypto';
import { SecretValue } from '@internal/backstage-plugin-external-secrets-node';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks Infisical's `x-infisical-signature: t=<ms>;<hex>` header: the hex
 * HMAC-SHA256 of the raw body under the webhook's secret key (Infisical signs
 * the JSON it sends, timestamp included), and a timestamp no older than
 * `maxAgeMs` so a captured delivery cannot be replayed later.
 */
export function verifyInfisicalSignature(options: {
  header: string | undefined;
  rawBody: Buffer;
  secret: SecretValue;
  now: number;
  maxAgeMs: number;
}): SignatureCheck {
  const match = /^t=(\d+);([0-9a-f]{64})$/i.exec(options.header?.trim() ?? '');
  if (!match) {
    return {
      ok: false,
      reason:
        'missing or malformed x-infisical-signature header (expected t=<timestamp>;<hex signature>); set a secret key on the Infisical webhook',
    };
  }
  const [, timestamp, signature] = match;
  const expected = createHmac('sha256', Buffer.from(options.secret.bytes()))
    .update(options.rawBody)
    .digest();
  const given = Buffer.from(signature, 'hex');
  if (!timingSafeEqual(expected, given)) {
    return {
      ok: false,
      reason:
        'signature does not verify with externalSecrets.propagation.webhooks.infisical.signingSecret',
    };
  }
  const ageMs = options.now - Number(timestamp);
  if (Math.abs(ageMs) > options.maxAgeMs) {
    return {
      ok: false,
      reason: `signature timestamp is ${Math.round(
        ageMs / 1000,
      )} s away from now (allowed: ${
        options.maxAgeMs / 1000
      } s); check the clocks or raise maxAge`,
    };
  }
  return { ok: true };
}
