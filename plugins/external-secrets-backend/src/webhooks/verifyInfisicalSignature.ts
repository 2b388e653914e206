import { createHmac, timingSafeEqual } from 'node:crypto';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

export type SignatureCheck =
  | {
      ok: true;
      /** The signed timestamp (epoch ms), equal in the header and the body. */
      timestamp: number;
      /** The hex HMAC: unique per delivery, remembered to refuse replays. */
      signature: string;
    }
  | { ok: false; reason: string };

/**
 * Checks Infisical's `x-infisical-signature: t=<ms>;<hex>` header the way
 * Infisical's webhook service builds it: the payload gets `timestamp:
 * Date.now()`, the hex HMAC-SHA256 covers `JSON.stringify(payload)` (the raw
 * body we receive), and the header repeats that same timestamp. The header's
 * `t=` is NOT covered by the HMAC, so it alone proves nothing: the body's
 * signed `timestamp` must equal it exactly, and must be within `maxAgeMs` of
 * now. Replays inside that window are the caller's job (remember `signature`).
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
  const [, headerTimestamp, signature] = match;
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
  const timestamp = signedTimestamp(options.rawBody);
  if (timestamp === undefined || timestamp !== Number(headerTimestamp)) {
    return {
      ok: false,
      reason:
        'the signed body timestamp does not equal the header timestamp t=; a delivery re-stamped with a new time is refused',
    };
  }
  const ageMs = options.now - timestamp;
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
  return { ok: true, timestamp, signature: signature.toLowerCase() };
}

/** The body's own `timestamp` (covered by the HMAC), when it is a number. */
function signedTimestamp(rawBody: Buffer): number | undefined {
  try {
    const body = JSON.parse(rawBody.toString('utf8'));
    return typeof body?.timestamp === 'number' ? body.timestamp : undefined;
  } catch {
    return undefined;
  }
}
