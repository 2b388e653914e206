import {
  NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY,
  specialAddressKind,
  StoreAddressPolicy,
} from './storeAddressPolicy';

describe('specialAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['100.100.100.200', 'shared (carrier-grade NAT)'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    // IPv4 written as IPv6 reaches the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::FFFF:A9FE:A9FE', 'link-local'],
    ['0:0:0:0:0:ffff:10.0.0.1', 'private'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['[::1]', 'loopback'],
    ['not-an-address', 'unreadable'],
  ])('should classify %s as %s', (address, kind) => {
    expect(specialAddressKind(address)?.kind).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '203.0.113.7',
    '2001:db8::1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('should treat %s as public', address => {
    expect(specialAddressKind(address)).toBeUndefined();
  });
});

describe('StoreAddressPolicy', () => {
  it('should refuse a name that resolves to loopback, naming the host, the address and the key', () => {
    expect(new StoreAddressPolicy([]).refusal('Localhost.', '127.0.0.1')).toBe(
      `localhost resolves to 127.0.0.1, a loopback address; namespaced SecretStores may not contact it unless an admin names the host, or a CIDR containing the address, in ${NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY}`,
    );
  });

  it('should let a public address through', () => {
    expect(
      new StoreAddressPolicy([]).refusal('infisical.example.com', '8.8.8.8'),
    ).toBeUndefined();
  });

  it('should allow a private address by exact host name, and only that host', () => {
    const policy = new StoreAddressPolicy(['infisical.infra.svc']);

    expect(policy.refusal('INFISICAL.infra.svc', '10.96.0.10')).toBeUndefined();
    expect(policy.refusal('evil.infra.svc', '10.96.0.10')).toMatch(
      /a private address/,
    );
  });

  it('should allow addresses inside a CIDR, also written IPv4-mapped, and no others', () => {
    const policy = new StoreAddressPolicy(['10.96.0.0/12', 'fd00::/8']);

    expect(policy.refusal('svc', '10.100.1.1')).toBeUndefined();
    expect(policy.refusal('svc', '::ffff:10.100.1.1')).toBeUndefined();
    expect(policy.refusal('svc', 'fd12::1')).toBeUndefined();
    expect(policy.refusal('svc', '10.200.1.1')).toMatch(/private/);
    expect(policy.refusal('svc', '169.254.169.254')).toMatch(/link-local/);
  });

  it.each(['10.0.0.0/33', '*.corp.example', 'https://host', 'host:443', ''])(
    'should refuse the entry "%s", naming the key',
    entry => {
      expect(() => new StoreAddressPolicy([entry])).toThrow(
        `${NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY}: "${entry}" is neither`,
      );
    },
  );
});
