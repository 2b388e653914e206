import type { DecodingStrategy } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { decodeValue } from './decodeValue';

const bytes = (text: string) => new TextEncoder().encode(text);

// Expected results computed with Go's encoding/base64 (StdEncoding / URLEncoding).
describe('decodeValue', () => {
  it.each<[DecodingStrategy, string, string | null]>([
    ['None', 'aGVsbG8=', 'aGVsbG8='],
    ['Base64', 'aGVsbG8=', 'hello'],
    ['Base64', 'aGVs\nbG8=', 'hello'],
    ['Base64', 'YR==', 'a'],
    ['Base64', '', ''],
    ['Base64', 'aGVsbG8', null],
    ['Base64', 'aGVsbG8==', null],
    ['Base64', 'Pz8_', null],
    ['Base64URL', 'Pz8_', '???'],
    ['Base64URL', 'Pz8/', null],
    ['Auto', 'Pz8/', '???'],
    ['Auto', 'Pz8_', '???'],
    ['Auto', 'not base64!', 'not base64!'],
  ])('should decode with %s: %j → %j', (strategy, input, expected) => {
    const result = decodeValue(strategy, bytes(input));
    const decoded = result.ok ? Buffer.from(result.bytes).toString() : null;
    expect(decoded).toBe(expected);
  });

  it('should explain a failed decoding without quoting the value', () => {
    const result = decodeValue('Base64', bytes('canary-secret-value'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /decodingStrategy Base64: .*Auto or None/,
    );
    expect(JSON.stringify(result)).not.toContain('canary');
  });
});
