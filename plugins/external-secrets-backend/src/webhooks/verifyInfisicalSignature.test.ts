import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { createHmac } from 'node:crypto';
import { verifyInfisicalSignature } from './verifyInfisicalSignature';

const SECRET = 'signing-canary-41d2';
const NOW = 1_800_000_000_000;
const bodyAt = (at: number) =>
  Buffer.from(JSON.stringify({ event: 'secrets.modified', timestamp: at }));
const BODY = bodyAt(NOW);

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
  it('should accept the HMAC-SHA256 of the raw body with a fresh timestamp equal in header and body', () => {
    const body = bodyAt(NOW - 299_000);
    expect(verify(header(body, NOW - 299_000), body)).toEqual({
      ok: true,
      timestamp: NOW - 299_000,
      signature: createHmac('sha256', SECRET).update(body).digest('hex'),
    });
  });

  it.each([
    ['a header timestamp one ms off the body', bodyAt(NOW), NOW + 1],
    [
      'a body without a timestamp',
      Buffer.from('{"event":"secrets.modified"}'),
      NOW,
    ],
    ['a body that is not JSON', Buffer.from('not json'), NOW],
  ])('should refuse %s although the HMAC verifies', (_name, body, at) => {
    expect(verify(header(body, at), body)).toEqual({
      ok: false,
      reason: expect.stringMatching(/does not equal the header timestamp/),
    });
  });

  it.each([
    ['no header', undefined, /missing or malformed/, BODY],
    [
      'a header without a timestamp',
      header(BODY).split(';')[1],
      /missing or malformed/,
      BODY,
    ],
    [
      'a tampered body',
      header(Buffer.from('{"event":"x"}')),
      /does not verify/,
      BODY,
    ],
    ['another secret', header(BODY, NOW, 'other'), /does not verify/, BODY],
    [
      'a stale timestamp',
      header(bodyAt(NOW - 301_000), NOW - 301_000),
      /301 s away from now/,
      bodyAt(NOW - 301_000),
    ],
    [
      'a timestamp from the future',
      header(bodyAt(NOW + 400_000), NOW + 400_000),
      /away from now/,
      bodyAt(NOW + 400_000),
    ],
  ])('should refuse %s without naming the secret', (_name, h, reason, body) => {
    const result = verify(h, body);
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(reason),
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
