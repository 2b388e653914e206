import { inspect } from 'node:util';
import { SecretValue } from './SecretValue';

const CANARY = 'canary-7f3e9a-do-not-leak';

describe('SecretValue', () => {
  it('should give the bytes back to code that asks for them explicitly', () => {
    const value = SecretValue.fromString(CANARY);
    expect(value.text()).toBe(CANARY);
    expect(Buffer.from(value.bytes()).toString()).toBe(CANARY);
    expect(SecretValue.fromBase64(value.base64()).equals(value)).toBe(true);
  });

  it.each([
    ['String()', (v: SecretValue) => String(v)],
    ['template string', (v: SecretValue) => `${v}`],
    ['JSON.stringify', (v: SecretValue) => JSON.stringify({ v })],
    ['util.inspect', (v: SecretValue) => inspect({ nested: { v } })],
    [
      'Object.keys/values',
      (v: SecretValue) => JSON.stringify(Object.values(v)),
    ],
  ])('should redact the value in %s', (_name, render) => {
    const out = render(SecretValue.fromString(CANARY));
    expect(out).not.toContain(CANARY);
    expect(out).not.toContain(Buffer.from(CANARY).toString('base64'));
  });

  it("should keep the value out of Jest's failure output", () => {
    let message = '';
    try {
      expect({ a: SecretValue.fromString(CANARY) }).toEqual({ a: 1 });
    } catch (e) {
      message = String((e as Error).message);
    }
    expect(message).toContain('[redacted]');
    expect(message).not.toContain(CANARY);
  });

  it('should copy the bytes in and out so callers cannot mutate the value', () => {
    const input = new TextEncoder().encode('abc');
    const value = SecretValue.fromBytes(input);
    input[0] = 0;
    value.bytes()[1] = 0;
    expect(value.text()).toBe('abc');
  });

  it('should compare by content', () => {
    expect(
      SecretValue.fromString('a').equals(SecretValue.fromString('a')),
    ).toBe(true);
    expect(
      SecretValue.fromString('a').equals(SecretValue.fromString('ab')),
    ).toBe(false);
    expect(
      SecretValue.fromString('a').equals(SecretValue.fromString('b')),
    ).toBe(false);
  });
});
