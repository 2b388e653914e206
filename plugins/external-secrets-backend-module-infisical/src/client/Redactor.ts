const REDACTED = '[redacted]';

/** Shorter strings would redact ordinary words; credentials are never this short. */
const MIN_LENGTH = 6;

/**
 * Removes known sensitive strings (client secrets, client ids, JWTs, access
 * tokens) from text that came from the server before it is put in an error or
 * a log line: Infisical validation errors may echo request fields.
 */
export class Redactor {
  readonly #values = new Set<string>();

  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value && value.length >= MIN_LENGTH) this.#values.add(value);
    }
  }

  apply(text: string): string {
    let result = text;
    for (const value of this.#values) {
      result = result.split(value).join(REDACTED);
    }
    return result;
  }
}
