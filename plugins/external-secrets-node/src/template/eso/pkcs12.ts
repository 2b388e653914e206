import { createPrivateKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { fail, stringish, text, type Fn } from '../functionSupport';
import { toBytes, type TValue } from '../values';
import { orderChain, pemBlocks, pemEncode } from './pem';

/** The key as PKCS#8 DER (any algorithm), and the certificates. */
type Decoded = { key?: Buffer; certs: forge.pki.Certificate[] };

function decode(fn: string, input: TValue, password: string): Decoded {
  const der = Buffer.from(toBytes(stringish(fn, input))).toString('binary');
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(der),
      false,
      password,
    );
    const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
    const keyBag = [
      ...bags(forge.pki.oids.pkcs8ShroudedKeyBag),
      ...bags(forge.pki.oids.keyBag),
    ].find(b => b.key || b.asn1);
    // forge parses RSA keys; any other algorithm stays as its PrivateKeyInfo.
    let key: Buffer | undefined;
    if (keyBag?.key)
      key = derOf(
        forge.pki.wrapRsaPrivateKey(
          forge.pki.privateKeyToAsn1(keyBag.key as forge.pki.rsa.PrivateKey),
        ),
      );
    else if (keyBag?.asn1) key = derOf(keyBag.asn1);
    const certs = bags(forge.pki.oids.certBag)
      .map(b => b.cert)
      .filter((c): c is forge.pki.Certificate => c !== undefined);
    return { key, certs };
  } catch (e) {
    return fail(`${fn}: unable to decode pkcs12: ${(e as Error).message}`);
  }
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function certDer(cert: forge.pki.Certificate): Buffer {
  return derOf(forge.pki.certificateToAsn1(cert));
}

/** ESO's pkcs12keyPass: the private key as PKCS#8 `PRIVATE KEY` PEM. */
function pkcs12key(password: string, input: TValue): string {
  const { key } = decode('pkcs12key', input, password);
  if (!key) return fail('pkcs12key: the PKCS#12 holds no private key');
  return pemEncode('PRIVATE KEY', key);
}

/** ESO's pkcs12certPass: the certificate and its CA certificates, ordered leaf → root when they form one chain. */
function pkcs12cert(password: string, input: TValue): string {
  const { certs } = decode('pkcs12cert', input, password);
  if (certs.length === 0)
    return fail('pkcs12cert: the PKCS#12 holds no certificate');
  const ders = certs.map(certDer);
  const x509 = ders.map(d => new X509Certificate(d));
  const ordered = orderChain(x509)?.map(c => c.raw) ?? ders;
  return ordered.map(d => pemEncode('CERTIFICATE', d)).join('');
}

function parseKey(fn: string, pem: string): forge.pki.rsa.PrivateKey {
  try {
    // Node reads PKCS#1, PKCS#8 and SEC1 as ESO's parsePrivateKey does;
    // forge (the PKCS#12 encoder) takes RSA keys only.
    const pkcs8 = createPrivateKey(pem).export({
      type: 'pkcs8',
      format: 'pem',
    });
    return forge.pki.privateKeyFromPem(
      pkcs8.toString(),
    ) as forge.pki.rsa.PrivateKey;
  } catch (e) {
    return fail(
      `${fn}: unable to parse private key type (${(e as Error).message})`,
    );
  }
}

function parseCerts(fn: string, pem: string): forge.pki.Certificate[] {
  const blocks = pemBlocks(pem);
  if (blocks.length === 0) return fail(`${fn}: no PEM certificate found`);
  return blocks.map(b => {
    try {
      return forge.pki.certificateFromAsn1(
        forge.asn1.fromDer(b.bytes.toString('binary')),
      );
    } catch (e) {
      return fail(`${fn}: ${(e as Error).message}`);
    }
  });
}

/** ESO's certsKeyToPkcs12 / EncodeTrustStore: a PKCS#12 (AES-256, SHA-256), base64. */
function toPkcs12(
  key: forge.pki.rsa.PrivateKey | null,
  certs: forge.pki.Certificate[],
  password: string,
): string {
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, {
    algorithm: 'aes256',
    generateLocalKeyId: key !== null,
  });
  return derOf(asn1).toString('base64');
}

function pemToPkcs12(
  fn: string,
  full: boolean,
  [cert, key, pass]: TValue[],
): string {
  const certs = parseCerts(fn, text(fn, cert));
  return toPkcs12(
    parseKey(fn, text(fn, key)),
    full ? certs : certs.slice(0, 1),
    pass === undefined ? '' : text(fn, pass),
  );
}

/** ESO's PKCS#12 functions (runtime/template/v2/pkcs12.go). */
export const PKCS12_FUNCTIONS: Record<string, Fn> = {
  pkcs12key: { min: 1, max: 1, call: ([input]) => pkcs12key('', input) },
  pkcs12keyPass: {
    min: 2,
    max: 2,
    call: ([pass, input]) => pkcs12key(text('pkcs12keyPass', pass), input),
  },
  pkcs12cert: { min: 1, max: 1, call: ([input]) => pkcs12cert('', input) },
  pkcs12certPass: {
    min: 2,
    max: 2,
    call: ([pass, input]) => pkcs12cert(text('pkcs12certPass', pass), input),
  },
  pemToPkcs12: {
    min: 2,
    max: 2,
    call: args => pemToPkcs12('pemToPkcs12', false, args),
  },
  pemToPkcs12Pass: {
    min: 3,
    max: 3,
    call: args => pemToPkcs12('pemToPkcs12Pass', false, args),
  },
  fullPemToPkcs12: {
    min: 2,
    max: 2,
    call: args => pemToPkcs12('fullPemToPkcs12', true, args),
  },
  fullPemToPkcs12Pass: {
    min: 3,
    max: 3,
    call: args => pemToPkcs12('fullPemToPkcs12Pass', true, args),
  },
  pemTruststoreToPKCS12: {
    min: 1,
    max: 1,
    call: ([certs]) =>
      toPkcs12(
        null,
        parseCerts(
          'pemTruststoreToPKCS12',
          text('pemTruststoreToPKCS12', certs),
        ),
        '',
      ),
  },
  pemTruststoreToPKCS12Pass: {
    min: 2,
    max: 2,
    call: ([certs, pass]) =>
      toPkcs12(
        null,
        parseCerts(
          'pemTruststoreToPKCS12Pass',
          text('pemTruststoreToPKCS12Pass', certs),
        ),
        text('pemTruststoreToPKCS12Pass', pass),
      ),
  },
};
