import bcryptjs from 'bcryptjs';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  scryptSync,
} from 'node:crypto';
import { fail, str, stringish, text, toInt, type Fn } from '../functionSupport';
import { toBytes } from '../values';

function hash(algorithm: string, name: string): Fn {
  return {
    min: 1,
    max: 1,
    call: ([a]) =>
      createHash(algorithm)
        .update(toBytes(stringish(name, a)))
        .digest('hex'),
  };
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Go's bcrypt.GenerateFromPassword(p, DefaultCost): `$2a$10$...`. */
function bcrypt(password: string): string {
  const salt = bcryptjs.genSaltSync(10).replace(/^\$2b\$/, '$2a$');
  return bcryptjs.hashSync(password, salt);
}

/** sprig (ESO fork) htpasswd(user, password, algorithm): `sha` → `{SHA}`, anything else bcrypt. */
function htpasswd(user: string, password: string, algorithm: string): string {
  if (user.includes(':')) return fail(`htpasswd: invalid username: ${user}`);
  if (algorithm === 'sha')
    return `${user}:{SHA}${createHash('sha1')
      .update(password)
      .digest('base64')}`;
  return `${user}:${bcrypt(password)}`;
}

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';
const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** sprig's derivePassword: the Master Password algorithm (scrypt N=32768 r=8 p=2, HMAC-SHA256). */
function derivePassword(
  counter: number,
  type: string,
  password: string,
  user: string,
  site: string,
): string {
  const templates = PASSWORD_TEMPLATES[type];
  if (!templates)
    return fail(`derivePassword: cannot find password template ${type}`);
  const seed = Buffer.from(MASTER_PASSWORD_SEED);
  const userBytes = Buffer.from(user);
  const salt = Buffer.concat([seed, uint32(userBytes.length), userBytes]);
  const key = scryptSync(password, salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 128 * 32768 * 8 * 2 + 1024 * 1024,
  });
  const siteBytes = Buffer.from(site);
  const message = Buffer.concat([
    seed,
    uint32(siteBytes.length),
    siteBytes,
    uint32(counter),
  ]);
  const digest = createHmac('sha256', key).update(message).digest();
  const template = templates[digest[0] % templates.length];
  return Array.from(template, (c, i) => {
    const chars = TEMPLATE_CHARACTERS[c];
    return chars[digest[i + 1] % chars.length];
  }).join('');
}

/** sprig's AES-256-CBC with the password zero-padded to 32 bytes, IV first, base64. */
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password).copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]).toString(
    'base64',
  );
}

function decryptAES(password: string, encrypted: string): string {
  if (encrypted === '') return '';
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length < 32 || raw.length % 16 !== 0)
    return fail('decryptAES: the ciphertext is not AES-CBC output');
  try {
    const decipher = createDecipheriv(
      'aes-256-cbc',
      aesKey(password),
      raw.subarray(0, 16),
    );
    return Buffer.concat([
      decipher.update(raw.subarray(16)),
      decipher.final(),
    ]).toString();
  } catch {
    return fail('decryptAES: wrong password or corrupt ciphertext');
  }
}

/** sprig's genPrivateKey: rsa (4096), dsa, ecdsa (P-256), ed25519, as PEM. */
function genPrivateKey(type: string): string {
  const pem = { type: 'pkcs8', format: 'pem' } as const;
  switch (type) {
    case '':
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 4096 })
        .privateKey.export({ type: 'pkcs1', format: 'pem' })
        .toString();
    case 'dsa':
      return generateKeyPairSync('dsa', {
        modulusLength: 2048,
        divisorLength: 256,
      })
        .privateKey.export(pem)
        .toString();
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        .privateKey.export({ type: 'sec1', format: 'pem' })
        .toString();
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export(pem).toString();
    default:
      return fail(`genPrivateKey: unknown type ${type}`);
  }
}

/** sprig's hash and crypto functions (runtime/template/v2/sprig/crypto.go). */
export const CRYPTO_FUNCTIONS: Record<string, Fn> = {
  sha1sum: hash('sha1', 'sha1sum'),
  sha512sum: hash('sha512', 'sha512sum'),
  adler32sum: {
    min: 1,
    max: 1,
    call: ([a]) => String(adler32(toBytes(stringish('adler32sum', a)))),
  },
  bcrypt: str('bcrypt', bcrypt, 1),
  htpasswd: str('htpasswd', htpasswd, 3),
  derivePassword: {
    min: 5,
    max: 5,
    call: ([counter, type, password, user, site]) =>
      derivePassword(
        toInt(counter),
        text('derivePassword', type),
        text('derivePassword', password),
        text('derivePassword', user),
        text('derivePassword', site),
      ),
  },
  encryptAES: str('encryptAES', encryptAES, 2),
  decryptAES: str('decryptAES', decryptAES, 2),
  genPrivateKey: str('genPrivateKey', genPrivateKey, 1),
};
