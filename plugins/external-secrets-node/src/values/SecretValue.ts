const REDACTED = '[redacted]';
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret value. The bytes live in a `#private` field, so `console.log`,
 * `JSON.stringify`, `util.inspect`, template strings and Jest's failure output
 * all print `[redacted]`. Read the bytes only where they are written to a
 * Kubernetes Secret or hashed.
 *
 * @public
 */
export class SecretValue {
  readonly #bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Wraps UTF-8 text. */
  static fromString(text: string): SecretValue {
    return new SecretValue(new TextEncoder().encode(text));
  }

  /** Wraps raw bytes (copied). */
  static fromBytes(bytes: Uint8Array): SecretValue {
    return new SecretValue(Uint8Array.from(bytes));
  }

  /** Wraps the bytes a base64 string encodes. */
  static fromBase64(encoded: string): SecretValue {
    return new SecretValue(Uint8Array.from(Buffer.from(encoded, 'base64')));
  }

  /** A copy of the raw bytes. */
  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  /** The bytes decoded as UTF-8. */
  text(): string {
    return new TextDecoder().decode(this.#bytes);
  }

  /** The value base64-encoded, as a Kubernetes Secret's `data` holds it. */
  base64(): string {
    return Buffer.from(this.#bytes).toString('base64');
  }

  /** Length of the value in bytes. */
  get byteLength(): number {
    return this.#bytes.byteLength;
  }

  /** True when both hold the same bytes. */
  equals(other: SecretValue): boolean {
    const a = this.#bytes;
    const b = other.#bytes;
    if (a.byteLength !== b.byteLength) return false;
    return a.every((byte, i) => byte === b[i]);
  }

  /** Always `[redacted]`, so that string conversion never leaks the value. */
  toString(): string {
    return REDACTED;
  }

  /** Always `[redacted]`, so that JSON never leaks the value. */
  toJSON(): string {
    return REDACTED;
  }

  /** Always `[redacted]`, so that `console.log` and `util.inspect` never leak the value. */
  [inspectCustom](): string {
    return `SecretValue(${REDACTED})`;
  }
}
