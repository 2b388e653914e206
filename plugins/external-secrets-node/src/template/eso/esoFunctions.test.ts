import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretValue } from '../../values/SecretValue';
import { renderTemplate } from '../renderTemplate';

// Test vectors made by openssl: __fixtures__/pkcs12/generate.sh.
const fixture = (name: string) =>
  readFileSync(join(__dirname, '../__fixtures__/pkcs12', name));

function render(text: string, data: Record<string, string | Buffer>): string {
  return renderTemplate({
    name: 'out',
    text,
    data: new Map(
      Object.entries(data).map(([k, v]) => [
        k,
        typeof v === 'string'
          ? SecretValue.fromString(v)
          : SecretValue.fromBytes(v),
      ]),
    ),
  }).text();
}

// ESO runtime/template/v2/pkcs12.go: pkcs12key/pkcs12keyPass (PKCS#8
// "PRIVATE KEY" PEM), pkcs12cert/pkcs12certPass (certificate then CA
// certificates, ordered leaf → root by fetchCertChains).
describe('ESO PKCS#12 functions', () => {
  const leafKey = fixture('leaf.key').toString();
  const chain = fixture('leaf.crt').toString() + fixture('ca.crt').toString();

  it('should extract the key and the ordered chain of a PKCS#12 without password', () => {
    const data = { keystore: fixture('nopass.p12') };
    expect(render('{{ .keystore | pkcs12key }}', data)).toBe(leafKey);
    expect(render('{{ .keystore | pkcs12cert }}', data)).toBe(chain);
  });

  it('should extract them with the password, and fail naming the function with a wrong one', () => {
    const data = { keystore: fixture('pass.p12') };
    expect(render('{{ .keystore | pkcs12keyPass "s3cret" }}', data)).toBe(
      leafKey,
    );
    expect(render('{{ .keystore | pkcs12certPass "s3cret" }}', data)).toBe(
      chain,
    );
    expect(() =>
      render('{{ .keystore | pkcs12keyPass "wrong" }}', data),
    ).toThrow(/pkcs12key: unable to decode pkcs12/);
  });

  it('should build a PKCS#12 that openssl reads, from PEM (fullPemToPkcs12Pass keeps the CA chain)', () => {
    const out = render(
      '{{ fullPemToPkcs12Pass .crt .key "pw" }}|{{ pemToPkcs12 .crt .key }}',
      { crt: chain, key: leafKey },
    );
    const [full, single] = out.split('|');
    const dir = mkdtempSync(join(tmpdir(), 'p12-'));
    const read = (b64: string, pass: string, flag: string) => {
      writeFileSync(join(dir, 'x.p12'), Buffer.from(b64, 'base64'));
      return execFileSync(
        'openssl',
        [
          'pkcs12',
          '-in',
          join(dir, 'x.p12'),
          '-passin',
          `pass:${pass}`,
          flag,
          '-nodes',
        ],
        { encoding: 'utf8' },
      );
    };
    expect(
      read(full, 'pw', '-nokeys').match(/BEGIN CERTIFICATE/g),
    ).toHaveLength(2);
    expect(
      read(single, '', '-nokeys').match(/BEGIN CERTIFICATE/g),
    ).toHaveLength(1);
    expect(read(full, 'pw', '-nocerts')).toContain(
      leafKey.split('\n').slice(1, 3).join('\n'),
    );
    // Round trip through ESO's own reader.
    expect(render('{{ .p | b64dec | pkcs12keyPass "pw" }}', { p: full })).toBe(
      leafKey,
    );
  });
});

// ESO runtime/template/v2/pem.go: filterPEM, filterCertChain, certSANs.
describe('ESO PEM functions', () => {
  const leaf = fixture('leaf.crt').toString();
  const ca = fixture('ca.crt').toString();
  const key = fixture('leaf.key').toString();

  it('should keep only the blocks of the type asked, after leading junk', () => {
    const bundle = `junk before\n${key}${leaf}${ca}`;
    expect(render('{{ filterPEM "CERTIFICATE" .b }}', { b: bundle })).toBe(
      leaf + ca,
    );
    expect(render('{{ filterPEM "private key" .b }}', { b: bundle })).toBe(key);
    expect(() => render('{{ filterPEM "CERTIFICATE" "junk" }}', {})).toThrow(
      'found junk',
    );
  });

  it('should split a chain into leaf, intermediate and root, and list SANs', () => {
    const data = { c: ca + leaf };
    expect(render('{{ filterCertChain "leaf" .c }}', data)).toBe(leaf);
    expect(render('{{ filterCertChain "root" .c }}', data)).toBe(ca);
    expect(render('{{ filterCertChain "intermediate" .c }}', data)).toBe('');
    expect(render('{{ certSANs .c | join "," }}', { c: leaf })).toBe(
      'leaf.example,10.0.0.1',
    );
  });
});

// ESO runtime/template/v2/jwk.go: jwkPublicKeyPem (PKIX), jwkPrivateKeyPem (PKCS#8).
describe('ESO JWK functions', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));

  it('should turn a JWK into PEM keys', () => {
    const publicPem = render('{{ jwkPublicKeyPem .k }}', { k: jwk });
    const privatePem = render('{{ jwkPrivateKeyPem .k }}', { k: jwk });
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toBe(
      createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }),
    );
    expect(createPublicKey(publicPem).export({ format: 'jwk' }).x).toBe(
      JSON.parse(jwk).x,
    );
  });

  it('should fail on a public JWK asked for its private key, and on JSON without kty', () => {
    const publicJwk = JSON.stringify(
      createPublicKey(privateKey).export({ format: 'jwk' }),
    );
    expect(() => render('{{ jwkPrivateKeyPem .k }}', { k: publicJwk })).toThrow(
      'jwkPrivateKeyPem',
    );
    expect(() => render('{{ jwkPublicKeyPem "{}" }}', {})).toThrow('kty');
  });

  it('should fail on a JWK that is not JSON without quoting any of it', () => {
    expect(() =>
      render('{{ jwkPrivateKeyPem .k }}', { k: '1234abcd-not-a-key' }),
    ).toThrow(
      /^(?!.*(1234|abcd|position|column)).*jwkPrivateKeyPem: failed to parse key: the value is not valid JSON/s,
    );
  });
});
