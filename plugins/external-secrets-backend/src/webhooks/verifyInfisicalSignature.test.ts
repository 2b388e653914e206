import { SecretValue } from '@internal/backstage-plugin-external-secrets-node';
import { createHmac } from 'node:crypto';
import { verifyInfisicalSignature } from './verifyInfisicalSignature';

const SECRET = 'signing-canary-41d2';
const NOW = 1_800_000_000_000;
const BODY = Buffer.from('{"event":"secrets.modified"}');

const header = (body: Buffer, at = NOW, secret = SECRET) =>
  `t=${at};${createHmac('sha256', secret).update(body).digest('hex')}`;

const verify = (h: string | undefined, body = BODY) =>
  verifyInfisicalSignature({
    header: h,
    rawBody: body,
    secret: SecretValue.fromString(SECRET),
    now: NOW,
    maxAgeMs: 300_000,
  });

describe('verifyInfisicalSignature', () => {
  it('should accept the HMAC-SHA256 of the raw body with a fresh timestamp', () => {
    expect(verify(header(BODY, NOW - 299_000))).toEqual({ ok: true });
  });

  it.each([
    ['no header', undefined, /missing or malformed/],
    [
      'a header without a timestamp',
      header(BODY).split(';')[1],
      /missing or malformed/,
    ],
    [
      'a tampered body',
      header(Buffer.from('{"event":"x"}')),
      /does not verify/,
    ],
    ['another secret', header(BODY, NOW, 'other'), /does not verify/],
    ['a stale timestamp', header(BODY, NOW - 301_000), /301 s away from now/],
    [
      'a timestamp from the future',
      header(BODY, NOW + 400_000),
      /away from now/,
    ],
  ])('should refuse %s without naming the secret', (_name, h, reason) => {
    const result = verify(h);
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(reason),
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
