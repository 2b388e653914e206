import { X509Certificate } from 'node:crypto';
import { fail } from '../functionSupport';

const BLOCK =
  /-----BEGIN ([^-\r\n]+)-----\r?\n((?:[^\r\n:]+:[^\r\n]*\r?\n)*\r?\n?)?([A-Za-z0-9+/=\s]*?)-----END \1-----/g;

export type PemBlock = { type: string; headers: string; bytes: Buffer };

/** The PEM blocks of `input`, as Go's pem.Decode finds them one after another. */
export function pemBlocks(input: string): PemBlock[] {
  return [...input.matchAll(BLOCK)].map(m => ({
    type: m[1],
    headers: m[2] ?? '',
    bytes: Buffer.from(m[3].replace(/\s/g, ''), 'base64'),
  }));
}

/** Go's pem.Encode: base64 in lines of 64 characters. */
export function pemEncode(type: string, bytes: Uint8Array): string {
  const body = Buffer.from(bytes).toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines
    .map(l => `${l}\n`)
    .join('')}-----END ${type}-----\n`;
}

/** ESO's filterPEM (runtime/template/v2/pem.go): the blocks of one type, case-insensitively. */
export function filterPEM(type: string, input: string): string {
  const start = input.indexOf('-----BEGIN');
  const trimmed = start === -1 ? input : input.slice(start);
  const blocks = pemBlocks(trimmed);
  const wanted = blocks.filter(
    b => b.type.toLowerCase() === type.toLowerCase(),
  );
  if (blocks.length === 0 && trimmed.trim() !== '')
    return fail('filterPEM: error filtering pem: found junk');
  return wanted.map(b => pemEncode(b.type, b.bytes)).join('');
}

/**
 * ESO's fetchCertChains (runtime/template/v2/pem_chain.go): leaf, then each
 * issuer, up to the root. Undefined when no single chain links them all (ESO
 * then keeps the order it was given).
 */
export function orderChain(
  certs: X509Certificate[],
): X509Certificate[] | undefined {
  const issued = (child: X509Certificate, parent: X509Certificate) =>
    child !== parent && child.checkIssued(parent);
  const leaves = certs.filter(c => !certs.some(o => issued(o, c)));
  if (leaves.length !== 1) return undefined;
  const chain = [leaves[0]];
  for (;;) {
    const last = chain[chain.length - 1];
    const parent = certs.find(c => issued(last, c));
    if (!parent) break;
    if (chain.includes(parent)) return undefined;
    chain.push(parent);
  }
  return chain.length === certs.length ? chain : undefined;
}
