import YAML from 'yaml';
import {
  fail,
  fromPlain,
  stringish,
  text,
  toPlain,
  type Fn,
} from '../functionSupport';
import { fromBytes, toBytes, typeName, type TValue } from '../values';

/** ESO's toYAML: sigs.k8s.io/yaml.Marshal (keys sorted), trailing newline trimmed. */
function toYaml(value: TValue): string {
  return YAML.stringify(toPlain(value), { sortMapEntries: true }).replace(
    /\n$/,
    '',
  );
}

/** ESO's fromYAML into map[string]interface{}; a parse error fails the template. */
function fromYaml(value: TValue): TValue {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text('fromYaml', value));
  } catch (e) {
    return fail(`fromYaml: ${(e as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return new Map();
  const result = fromPlain(parsed);
  if (!(result instanceof Map))
    return fail(`fromYaml: the document is a ${typeName(result)}, not a map`);
  return result;
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}

/** Go's base32.StdEncoding.DecodeString. */
function base32Decode(encoded: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = encoded.replace(/=+$/, '');
  if (encoded.length % 8 !== 0 || /[^A-Z2-7]/.test(clean))
    return fail('b32dec: illegal base32 data');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of clean) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** Encodings: sprig's (runtime/template/v2/sprig/defaults.go, strings.go) and ESO's toYaml/fromYaml (yaml.go). */
export const ENCODING_FUNCTIONS: Record<string, Fn> = {
  toPrettyJson: {
    min: 1,
    max: 1,
    call: ([a]) => JSON.stringify(toPlain(a), null, 2),
  },
  toRawJson: { min: 1, max: 1, call: ([a]) => JSON.stringify(toPlain(a)) },
  toYaml: { min: 1, max: 1, call: ([a]) => toYaml(a) },
  fromYaml: { min: 1, max: 1, call: ([a]) => fromYaml(a) },
  b32enc: {
    min: 1,
    max: 1,
    call: ([a]) => base32(toBytes(stringish('b32enc', a))),
  },
  b32dec: {
    min: 1,
    max: 1,
    call: ([a]) => fromBytes(base32Decode(text('b32dec', a))),
  },
  hexdec: {
    min: 1,
    max: 1,
    call: ([a]) => {
      const hex = text('hexdec', a);
      if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex))
        return fail('hexdec: invalid hex data');
      return fromBytes(Buffer.from(hex, 'hex'));
    },
  },
};
