import {
  CANARY,
  failingExternalSecret,
  syncedExternalSecret,
} from '../__fixtures__/status';
import { buildExternalSecretYaml } from './buildExternalSecretYaml';

describe('buildExternalSecretYaml', () => {
  it('should rebuild the declared ExternalSecret from its references', () => {
    expect(buildExternalSecretYaml(syncedExternalSecret())).toBe(
      [
        'apiVersion: external-secrets.io/v1',
        'kind: ExternalSecret',
        'metadata:',
        '  name: orders-db',
        '  namespace: orders',
        'spec:',
        '  refreshInterval: 1h',
        '  secretStoreRef:',
        '    kind: ClusterSecretStore',
        '    name: infisical',
        '  target:',
        '    name: orders-db-credentials',
        '    creationPolicy: Owner',
        '    deletionPolicy: Retain',
        '  data:',
        '    - secretKey: DB_PASSWORD',
        '      remoteRef:',
        '        key: /orders/db',
        '        property: password',
        '    - secretKey: DB_USER',
        '      remoteRef:',
        '        key: /orders/db',
        '        property: username',
        '',
      ].join('\n'),
    );
  });

  it('should never copy messages, reasons or versions into the manifest', () => {
    const yaml = buildExternalSecretYaml(syncedExternalSecret());

    expect(yaml).not.toContain(CANARY);
    expect(yaml).not.toContain('Secret was synced');
    expect(yaml).not.toContain('SecretSynced');
  });

  it('should add a sourceRef only for entries read from another store', () => {
    const yaml = buildExternalSecretYaml(failingExternalSecret());

    expect(yaml).toContain(
      [
        '    - secretKey: WEBHOOK_SECRET',
        '      remoteRef:',
        '        key: webhook',
        '      sourceRef:',
        '        storeRef:',
        '          kind: SecretStore',
        '          name: vault-local',
      ].join('\n'),
    );
    expect(yaml.match(/sourceRef:/g)).toHaveLength(1);
    expect(yaml).not.toContain('not found');
  });

  it('should keep manifest order and say that dataFrom is not reconstructed', () => {
    const es = syncedExternalSecret();
    es.keys = [
      { source: 'dataFrom[0]', secretKey: 'EXTRA', state: 'synced' },
      { ...es.keys[1], source: 'data[1]' },
      { ...es.keys[0], source: 'data[0]' },
    ];

    const yaml = buildExternalSecretYaml(es);

    expect(yaml.indexOf('DB_PASSWORD')).toBeLessThan(yaml.indexOf('DB_USER'));
    expect(yaml).not.toContain('EXTRA');
    expect(yaml).toContain('# spec.dataFrom is not shown');
  });

  it.each([
    ['true', '"true"'],
    ['0123', '"0123"'],
    ['1e5', '"1e5"'],
    ['key: with colon', '"key: with colon"'],
    ['#comment', '"#comment"'],
    // YAML 1.1 booleans and octals: kubectl (go-yaml) would not read them as strings
    ['yes', '"yes"'],
    ['on', '"on"'],
    ['0x1F', '"0x1F"'],
    // plain is safe here: inner quotes do not start or end a YAML scalar
    ['say "hi"', 'say "hi"'],
    ['plain/key_1.json', 'plain/key_1.json'],
  ])('should write the remote key %j as %s', (remoteKey, expected) => {
    const es = syncedExternalSecret();
    es.keys = [{ ...es.keys[0], property: undefined, remoteKey }];

    expect(buildExternalSecretYaml(es)).toContain(`        key: ${expected}\n`);
  });
});
