import { BlockList, isIP } from 'node:net';
import { AddressGuard } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

/** The config key that allows special addresses, named in every refusal. */
export const NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY =
  'externalSecrets.security.namespacedStorePrivateAddresses';

type Family = 'ipv4' | 'ipv6';

/** A kind of address a tenant's store must not reach, and why it matters. */
type SpecialRange = { kind: string; note?: string; cidrs: string[] };

/**
 * Addresses that are not "the internet": the host itself, the node's link
 * (cloud metadata services: 169.254.169.254, fd00:ec2::254 sits in fc00::/7),
 * the internal network, and addresses no server should have.
 */
const SPECIAL_RANGES: SpecialRange[] = [
  { kind: 'unspecified', cidrs: ['0.0.0.0/8', '::/128'] },
  { kind: 'loopback', cidrs: ['127.0.0.0/8', '::1/128'] },
  {
    kind: 'link-local',
    note: 'cloud metadata services live there',
    cidrs: ['169.254.0.0/16', 'fe80::/10'],
  },
  {
    kind: 'private',
    cidrs: [
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      'fc00::/7',
      'fec0::/10',
    ],
  },
  {
    kind: 'shared (carrier-grade NAT)',
    note: 'some clouds serve metadata there',
    cidrs: ['100.64.0.0/10'],
  },
  { kind: 'multicast', cidrs: ['224.0.0.0/4', 'ff00::/8'] },
  { kind: 'reserved', cidrs: ['240.0.0.0/4'] },
];

function parseCidr(text: string): [string, number, Family] | undefined {
  const [network, prefixText, ...rest] = text.trim().split('/');
  const version = isIP(network);
  if (!version || rest.length) return undefined;
  const family: Family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? '0') || prefix > max) return undefined;
  return [network, prefix, family];
}

function blockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, prefix, family] = parseCidr(cidr)!;
    list.addSubnet(network, prefix, family);
  }
  return list;
}

const SPECIAL = SPECIAL_RANGES.map(range => ({
  ...range,
  list: blockList(range.cidrs),
}));

/** An IPv6 address as its eight 16-bit groups (zone id dropped). */
function ipv6Groups(address: string): number[] | undefined {
  let host: string;
  try {
    // The URL parser canonicalises every spelling (dotted tail, zeros, case).
    host = new URL(`http://[${address.split('%')[0]}]`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const parse = (part: string) =>
    part ? part.split(':').map(group => parseInt(group, 16)) : [];
  if (!host.includes('::')) return parse(host);
  const [head, tail] = host.split('::').map(parse);
  return [...head, ...Array(8 - head.length - tail.length).fill(0), ...tail];
}

/**
 * The IPv4 address an IPv6 address carries and reaches: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) and NAT64 (`64:ff9b::/96`).
 */
function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const zero = (from: number, to: number) =>
    groups.slice(from, to).every(group => group === 0);
  const mapped = zero(0, 5) && groups[5] === 0xffff;
  const compatible = zero(0, 6) && (groups[6] !== 0 || groups[7] > 1);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6);
  if (!mapped && !compatible && !nat64) return undefined;
  const [high, low] = [groups[6], groups[7]];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The address to classify, as the family it really reaches. */
function effective(address: string): [string, Family] | undefined {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const version = isIP(bare.split('%')[0]);
  if (version === 4) return [bare, 'ipv4'];
  if (version !== 6) return undefined;
  const v4 = embeddedIpv4(bare);
  return v4 ? [v4, 'ipv4'] : [bare.split('%')[0], 'ipv6'];
}

/** Which special range `address` is in, or undefined for a public address. */
export function specialAddressKind(
  address: string,
): { kind: string; note?: string } | undefined {
  const target = effective(address);
  if (!target) return { kind: 'unreadable' };
  const range = SPECIAL.find(r => r.list.check(target[0], target[1]));
  return range && { kind: range.kind, note: range.note };
}

/** The host as URLs normalise it: lower case, punycode, no brackets or trailing dot. */
function normaliseHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (isIP(bare)) return bare.toLowerCase();
  try {
    return new URL(`http://${bare}`).hostname;
  } catch {
    return bare.toLowerCase();
  }
}

const HOST_NAME =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

/**
 * Reads one `namespacedStorePrivateAddresses` entry: an exact host name, an
 * IP, or a CIDR. Throws naming the key when it is none of them.
 */
export function parsePrivateAddressEntry(
  entry: string,
): { host: string } | { cidr: [string, number, Family] } {
  const cidr = parseCidr(entry);
  if (cidr) return { cidr };
  const name = entry.trim().replace(/\.$/, '');
  if (HOST_NAME.test(name)) return { host: normaliseHost(name) };
  throw new Error(
    `${NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY}: "${entry}" is neither a host name nor an address or CIDR (use host.example, 10.0.0.5, 10.96.0.0/12 or fd00::/8)`,
  );
}

/**
 * The connection-time half of the SSRF guard for namespaced SecretStores:
 * refuses loopback, link-local, private, unspecified, multicast and reserved
 * addresses (also when written as IPv4-mapped IPv6), unless an admin allowed
 * the host by name or the address by CIDR in
 * `externalSecrets.security.namespacedStorePrivateAddresses`. Providers call
 * it for every address they are about to connect to.
 */
export class StoreAddressPolicy implements AddressGuard {
  private readonly hosts = new Set<string>();
  private readonly cidrs = new BlockList();

  /** `entries`: host names (exact) and CIDRs or single IPs; a bad entry throws naming the key. */
  constructor(entries: string[]) {
    for (const entry of entries.map(parsePrivateAddressEntry)) {
      if ('cidr' in entry) this.cidrs.addSubnet(...entry.cidr);
      else this.hosts.add(entry.host);
    }
  }

  refusal(hostname: string, address: string): string | undefined {
    const special = specialAddressKind(address);
    if (!special) return undefined;
    const host = normaliseHost(hostname);
    if (this.allows(host, address)) return undefined;
    const article = /^[aeiou]/.test(special.kind) ? 'an' : 'a';
    const what = `${article} ${special.kind} address${
      special.note ? ` (${special.note})` : ''
    }`;
    const subject = isIP(host)
      ? `${address} is ${what}`
      : `${host} resolves to ${address}, ${what}`;
    return `${subject}; namespaced SecretStores may not contact it unless an admin names the host, or a CIDR containing the address, in ${NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY}`;
  }

  private allows(host: string, address: string): boolean {
    if (this.hosts.has(host)) return true;
    const bare = address.replace(/^\[(.*)\]$/, '$1').split('%')[0];
    const target = effective(bare);
    const direct: [string, Family] | undefined = isIP(bare)
      ? [bare, isIP(bare) === 4 ? 'ipv4' : 'ipv6']
      : undefined;
    return [direct, target].some(
      candidate => candidate !== undefined && this.cidrs.check(...candidate),
    );
  }
}
