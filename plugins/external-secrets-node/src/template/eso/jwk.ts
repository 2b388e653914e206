import { createPrivateKey, createPublicKey } from 'node:crypto';
import { fail, text, type Fn } from '../functionSupport';

type JsonWebKey = { kty: string; d?: string; [field: string]: unknown };

function parseJwk(fn: string, json: string): JsonWebKey {
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch {
    // JSON.parse's message quotes the text around the error: the key itself.
    return fail(`${fn}: failed to parse key: the value is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || !parsed.kty)
    return fail(`${fn}: failed to parse key: the JSON has no "kty"`);
  return parsed as JsonWebKey;
}

/** ESO's jwkPublicKeyPem: a JWK (public or private) as PKIX `PUBLIC KEY` PEM. */
function jwkPublicKeyPem(json: string): string {
  const jwk = parseJwk('jwkPublicKeyPem', json);
  try {
    return createPublicKey({ key: jwk, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  } catch (e) {
    return fail(`jwkPublicKeyPem: ${(e as Error).message}`);
  }
}

/** ESO's jwkPrivateKeyPem: a private JWK as PKCS#8 `PRIVATE KEY` PEM. */
function jwkPrivateKeyPem(json: string): string {
  const jwk = parseJwk('jwkPrivateKeyPem', json);
  if (jwk.d === undefined)
    return fail('jwkPrivateKeyPem: the JWK is a public key (no "d")');
  try {
    return createPrivateKey({ key: jwk, format: 'jwk' })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
  } catch (e) {
    return fail(`jwkPrivateKeyPem: ${(e as Error).message}`);
  }
}

/** ESO's JWK functions (runtime/template/v2/jwk.go). */
export const JWK_FUNCTIONS: Record<string, Fn> = {
  jwkPublicKeyPem: {
    min: 1,
    max: 1,
    call: ([j]) => jwkPublicKeyPem(text('jwkPublicKeyPem', j)),
  },
  jwkPrivateKeyPem: {
    min: 1,
    max: 1,
    call: ([j]) => jwkPrivateKeyPem(text('jwkPrivateKeyPem', j)),
  },
};
