import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { fail, str, toInt, type Fn } from '../functionSupport';

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/** goutils.RandomAscii: printable ASCII 32..126. */
const ASCII = Array.from({ length: 95 }, (_, i) =>
  String.fromCharCode(32 + i),
).join('');

/** A cryptographically random string of `count` characters of `alphabet`. */
function random(name: string, alphabet: string): Fn {
  return {
    min: 1,
    max: 1,
    call: ([n]) => {
      const count = toInt(n);
      if (count < 0) return fail(`${name}: count must be at least 0`);
      return Array.from(
        { length: count },
        () => alphabet[randomInt(alphabet.length)],
      ).join('');
    },
  };
}

/**
 * sprig's random functions and uuidv4 (runtime/template/v2/sprig/strings.go,
 * crypto.go). A template using one renders a new value on every refresh, so
 * the Secret changes every time, as with ESO.
 */
export const RANDOM_FUNCTIONS: Record<string, Fn> = {
  randAlphaNum: random('randAlphaNum', ALPHA + DIGITS),
  randAlpha: random('randAlpha', ALPHA),
  randNumeric: random('randNumeric', DIGITS),
  randAscii: random('randAscii', ASCII),
  randBytes: {
    min: 1,
    max: 1,
    call: ([n]) => {
      const count = toInt(n);
      if (count < 0) return fail('randBytes: count must be at least 0');
      return randomBytes(count).toString('base64');
    },
  },
  shuffle: str(
    'shuffle',
    s => {
      const chars = [...s];
      for (let i = chars.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [chars[i], chars[j]] = [chars[j], chars[i]];
      }
      return chars.join('');
    },
    1,
  ),
  uuidv4: { min: 0, max: 0, call: () => randomUUID() },
};
