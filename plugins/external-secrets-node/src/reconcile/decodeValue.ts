import type { DecodingStrategy } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/**
 * ESO's `decoding.Decode`: Go's padded `base64.StdEncoding` / `URLEncoding`,
 * which ignore `\r` and `\n` and reject anything else outside the alphabet.
 * `Auto` tries Base64, then Base64URL, then keeps the raw bytes.
 */
const STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

export type DecodeResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; message: string };

function decodeGoBase64(
  bytes: Uint8Array,
  url: boolean,
): Uint8Array | undefined {
  const text = Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\r\n]/g, '');
  if (!(url ? URL : STD).test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text, url ? 'base64url' : 'base64'));
}

/** Applies a decodingStrategy; the failure message never contains the value. */
export function decodeValue(
  strategy: DecodingStrategy,
  bytes: Uint8Array,
): DecodeResult {
  switch (strategy) {
    case 'None':
      return { ok: true, bytes };
    case 'Base64':
    case 'Base64URL': {
      const decoded = decodeGoBase64(bytes, strategy === 'Base64URL');
      if (decoded) return { ok: true, bytes: decoded };
      const alphabet = strategy === 'Base64' ? 'standard' : 'URL-safe';
      return {
        ok: false,
        message: `decodingStrategy ${strategy}: the value is not padded ${alphabet} base64; use decodingStrategy Auto or None`,
      };
    }
    case 'Auto':
      return {
        ok: true,
        bytes:
          decodeGoBase64(bytes, false) ?? decodeGoBase64(bytes, true) ?? bytes,
      };
    default:
      return {
        ok: false,
        message: `decodingStrategy ${String(strategy)} is not supported`,
      };
  }
}
