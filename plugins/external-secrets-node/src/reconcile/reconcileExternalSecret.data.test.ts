import type { DecodingStrategy } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { fakeStore } from '../testUtils/fakeStore';
import {
  parsedExternalSecret,
  type ExternalSecretFixture,
} from '../testUtils/parsedExternalSecret';
import {
  currentSecret,
  readFailed,
  readFound,
  readOk,
  texts,
} from '../testUtils/reads';
import { NOW, syncWithFake } from '../testUtils/syncWithFake';
import { SecretValue } from '../values/SecretValue';
import { planReads } from './planReads';
import { reconcileExternalSecret } from './reconcileExternalSecret';
import type { ReadOutcome } from './types';

const OWNED = {
  ownerReferences: [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      name: 'my-secret',
      uid: 'es-uid-1',
      controller: true,
      blockOwnerDeletion: true,
    },
  ],
};
const JSON_VALUE = JSON.stringify({
  user: 'admin',
  port: 5432,
  ratio: 1.5,
  tls: true,
  none: null,
  nested: { host: 'db.internal' },
  'tls.crt': 'CERT',
  list: ['a', 'b'],
});

function reconcile(
  fixture: ExternalSecretFixture,
  reads: Record<string, ReadOutcome>,
) {
  const parsed = parsedExternalSecret(fixture);
  return reconcileExternalSecret({
    parsed,
    reads: new Map(Object.entries(reads)),
    now: NOW,
  });
}

describe('reconcileExternalSecret data', () => {
  it.each([
    ['a string field', 'user', 'admin'],
    ['a nested field', 'nested.host', 'db.internal'],
    ['a key with a dot, escaped as in gjson', 'tls\\.crt', 'CERT'],
    ['a number (ESO writes an empty value)', 'port', '5432'],
    ['a float', 'ratio', '1.5'],
    ['a boolean (ESO writes an empty value)', 'tls', 'true'],
    ['null', 'none', 'null'],
    [
      'an object (ESO writes an empty value)',
      'nested',
      '{"host":"db.internal"}',
    ],
    ['an array element', 'list.1', 'b'],
  ])('should write %s picked by property', (_name, property, expected) => {
    const result = reconcile(
      { data: [{ secretKey: 'out', remoteRef: { key: 'DB', property } }] },
      { 'data[0]': readOk(JSON_VALUE) },
    );
    expect(texts(result.desired?.data)).toEqual({ out: expected });
    expect(result.keys[0]).toMatchObject({ state: 'synced', property });
  });

  it('should name key and property when the property is missing', () => {
    const result = reconcile(
      {
        data: [
          { secretKey: 'out', remoteRef: { key: 'DB', property: 'password' } },
        ],
      },
      { 'data[0]': readOk(JSON_VALUE) },
    );
    expect(result.action).toBe('none');
    expect(result.keys[0]).toMatchObject({
      state: 'error',
      reason: 'PropertyNotFound',
      message: 'property "password" does not exist in remote key "DB"',
    });
  });

  it('should explain that a property needs a JSON value', () => {
    const result = reconcile(
      {
        data: [
          { secretKey: 'out', remoteRef: { key: 'DB', property: 'user' } },
        ],
      },
      { 'data[0]': readOk('plain text') },
    );
    expect(result.keys[0]).toMatchObject({ reason: 'NotJson' });
    expect(result.keys[0].message).toContain('remote key "DB" is not JSON');
  });

  // A parser position tells a value's shape ("1234abcd" fails at column 5:
  // it starts with four digits), and anyone allowed to check keys can ask.
  it.each<[string, ExternalSecretFixture, string]>([
    [
      'a property',
      {
        data: [
          { secretKey: 'out', remoteRef: { key: 'DB', property: 'user' } },
        ],
      },
      'data[0]',
    ],
    ['extract', { dataFrom: [{ extract: { key: 'DB' } }] }, 'dataFrom[0]'],
  ])(
    'should say a value is not JSON for %s without the parser position or any of the value',
    (_, spec, entry) => {
      for (const value of ['1234abcd', '{"pass": "hunter2"}\nsecond line x']) {
        const result = reconcile(spec, {
          [entry]: readOk(value),
        });
        expect(result.keys[0]).toMatchObject({ reason: 'NotJson' });
        const message = result.keys[0].message!;
        expect(message).toContain('remote key "DB" is not JSON');
        expect(message).not.toMatch(/line|column|position|character/i);
        for (const part of ['1234', 'abcd', 'hunter2', 'second', '"pass"'])
          expect(message).not.toContain(part);
      }
    },
  );

  it.each<[DecodingStrategy, string, string]>([
    ['None', 'aGVsbG8=', 'aGVsbG8='],
    ['Base64', 'aGVsbG8=', 'hello'],
    ['Base64URL', 'Pz8_', '???'],
    ['Auto', 'Pz8_', '???'],
    ['Auto', 'plain', 'plain'],
  ])(
    'should apply decodingStrategy %s to %j',
    (decodingStrategy, value, expected) => {
      const result = reconcile(
        {
          data: [
            { secretKey: 'out', remoteRef: { key: 'K', decodingStrategy } },
          ],
        },
        { 'data[0]': readOk(value) },
      );
      expect(texts(result.desired?.data)).toEqual({ out: expected });
    },
  );

  it('should decode binary data byte for byte', () => {
    const result = reconcile(
      {
        data: [
          {
            secretKey: 'keystore',
            remoteRef: { key: 'K', decodingStrategy: 'Base64' },
          },
        ],
      },
      { 'data[0]': readOk('AP/+AQ==') },
    );
    expect(result.desired?.data.keystore.bytes()).toEqual(
      Uint8Array.from([0, 255, 254, 1]),
    );
  });

  it('should fail a key whose value cannot be decoded, keeping the current value', () => {
    const parsed = parsedExternalSecret({
      data: [
        {
          secretKey: 'out',
          remoteRef: { key: 'K', decodingStrategy: 'Base64' },
        },
        { secretKey: 'b', remoteRef: { key: 'B' } },
      ],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['data[0]', readOk('not base64!')],
        ['data[1]', readOk('vb')],
      ]),
      current: currentSecret({ out: 'old', b: 'x' }, OWNED),
      now: NOW,
    });
    expect(result.keys[0]).toMatchObject({
      state: 'error',
      reason: 'DecodeFailed',
    });
    expect(texts(result.desired?.data)).toEqual({ out: 'old', b: 'vb' });
  });

  it('should pass remoteRef.version to the read and report the version it got', async () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'out', remoteRef: { key: 'K', version: 'v2' } }],
    });
    expect(planReads(parsed)[0].operation).toEqual({
      kind: 'get',
      key: 'K',
      version: 'v2',
    });
    const result = await syncWithFake({
      parsed,
      stores: [
        fakeStore([
          { key: 'K', value: 'one', version: 'v1' },
          { key: 'K', value: 'two', version: 'v2' },
        ]),
      ],
    });
    expect(texts(result.desired?.data)).toEqual({ out: 'two' });
    expect(result.keys[0].remoteVersion).toBe('v2');
  });

  it('should read from the store an entry names in sourceRef.storeRef', () => {
    const other = { name: 'other', kind: 'SecretStore' as const };
    const parsed = parsedExternalSecret({
      data: [
        { secretKey: 'a', remoteRef: { key: 'A' } },
        {
          secretKey: 'b',
          remoteRef: { key: 'B' },
          sourceRef: { storeRef: other },
        },
      ],
    });
    expect(planReads(parsed).map(r => r.storeRef)).toEqual([
      { name: 'infisical-archon-platform', kind: 'ClusterSecretStore' },
      other,
    ]);
  });

  it('should report an entry without any store', () => {
    const result = reconcile(
      {
        secretStoreRef: null,
        data: [{ secretKey: 'a', remoteRef: { key: 'A' } }],
      },
      {},
    );
    expect(result.keys[0]).toMatchObject({
      reason: 'NoStore',
      message:
        'data[0] has no store: set spec.secretStoreRef or data[0].sourceRef.storeRef',
    });
  });
});

describe('reconcileExternalSecret dataFrom', () => {
  it('should turn the top-level fields of an extracted JSON secret into keys, serializing non-strings', () => {
    const result = reconcile(
      { dataFrom: [{ extract: { key: 'APP' } }] },
      {
        'dataFrom[0]': readOk(
          '{"user":"admin","port":5432,"tls":true,"nested":{"a": 1},"list":[1,2],"none":null}',
        ),
      },
    );
    expect(texts(result.desired?.data)).toEqual({
      user: 'admin',
      port: '5432',
      tls: 'true',
      nested: '{"a": 1}',
      list: '[1,2]',
      none: 'null',
    });
    expect(
      result.keys.map(k => [k.secretKey, k.property, k.remoteKey]),
    ).toContainEqual(['user', 'user', 'APP']);
  });

  it('should explain that extract needs a JSON object', () => {
    const result = reconcile(
      { dataFrom: [{ extract: { key: 'APP' } }] },
      { 'dataFrom[0]': readOk('["a"]') },
    );
    expect(result.keys[0]).toMatchObject({
      reason: 'NotJson',
      message:
        'extract needs a JSON object, but remote key "APP" holds a JSON array',
    });
  });

  it('should decode extracted values with the extract decodingStrategy', () => {
    const result = reconcile(
      { dataFrom: [{ extract: { key: 'APP', decodingStrategy: 'Base64' } }] },
      { 'dataFrom[0]': readOk('{"a":"aGVsbG8="}') },
    );
    expect(texts(result.desired?.data)).toEqual({ a: 'hello' });
  });

  it('should write every secret a find returns', async () => {
    const parsed = parsedExternalSecret({
      dataFrom: [{ find: { name: { regexp: '^DB_' } } }],
    });
    const store = fakeStore([
      { key: 'DB_USER', value: 'u' },
      { key: 'DB_PASS', value: 'p' },
      { key: 'API_KEY', value: 'k' },
    ]);
    const result = await syncWithFake({ parsed, stores: [store] });
    expect(texts(result.desired?.data)).toEqual({ DB_USER: 'u', DB_PASS: 'p' });
    expect(result.keys.map(k => [k.secretKey, k.remoteKey])).toEqual([
      ['DB_USER', 'DB_USER'],
      ['DB_PASS', 'DB_PASS'],
    ]);
  });

  it.each([
    [
      '$1 replacement',
      [{ regexp: { source: '^DB_(.*)$', target: '$1' } }],
      { USER: 'u' },
    ],
    [
      '${1} followed by text',
      [{ regexp: { source: '^DB_(.*)$', target: 'db-${1}' } }],
      { 'db-USER': 'u' },
    ],
    [
      'rewrites applied in order',
      [
        { regexp: { source: '^DB_', target: '' } },
        { regexp: { source: '(.*)', target: 'x_$1' } },
      ],
      { x_USER: 'u' },
    ],
    [
      'named groups',
      [{ regexp: { source: '^(?P<p>DB)_(?P<n>.*)$', target: '${n}.${p}' } }],
      { 'USER.DB': 'u' },
    ],
  ])('should rewrite keys with %s', (_name, rewrite, expected) => {
    const result = reconcile(
      { dataFrom: [{ find: { name: { regexp: '.*' } }, rewrite }] },
      { 'dataFrom[0]': readFound({ DB_USER: 'u' }) },
    );
    expect(texts(result.desired?.data)).toEqual(expected);
  });

  it('should fail a key a rewrite makes invalid, naming the key', () => {
    const result = reconcile(
      {
        dataFrom: [
          { find: {}, rewrite: [{ regexp: { source: '_', target: '/' } }] },
        ],
      },
      { 'dataFrom[0]': readFound({ DB_USER: 'u', OK: 'o' }) },
    );
    expect(texts(result.desired?.data)).toEqual({ OK: 'o' });
    expect(result.keys.find(k => k.secretKey === 'DB/USER')).toMatchObject({
      state: 'error',
      reason: 'InvalidKey',
    });
    expect(result.condition.message).toContain(
      'remote "DB_USER" becomes key "DB/USER": a Secret key must match ^[-._a-zA-Z0-9]+$',
    );
  });

  it('should report an invalid rewrite expression', () => {
    const result = reconcile(
      {
        dataFrom: [
          { find: {}, rewrite: [{ regexp: { source: '(?=x)', target: '' } }] },
        ],
      },
      { 'dataFrom[0]': readFound({ A: 'a' }) },
    );
    expect(result.keys[0]).toMatchObject({ reason: 'RewriteFailed' });
    expect(result.keys[0].message).toContain(
      'dataFrom[0].rewrite: invalid regular expression: invalid or unsupported Perl syntax: `(?=`',
    );
  });

  // rewrite.transform is implemented (reconcileExternalSecret.rewrite.test.ts).
  it('should report rewrite.merge as unsupported', () => {
    const result = reconcile(
      {
        dataFrom: [{ find: {}, rewrite: [{ merge: { into: 'all' } }] }],
      },
      { 'dataFrom[0]': readFound({ A: 'a' }) },
    );
    expect(result.keys[0]).toMatchObject({
      state: 'unsupported',
      message: 'unsupported: dataFrom[0].rewrite[0].merge',
    });
  });

  it.each([
    ['Default', 'app/db-pass', 'app_db-pass'],
    ['Unicode', 'app/db-pass', 'app_U002f_db-pass'],
  ] as const)(
    'should convert keys with conversionStrategy %s when there is no rewrite',
    (conversionStrategy, remote, key) => {
      const result = reconcile(
        { dataFrom: [{ find: { conversionStrategy } }] },
        { 'dataFrom[0]': readFound({ [remote]: 'v' }) },
      );
      expect(Object.keys(result.desired?.data ?? {})).toEqual([key]);
    },
  );

  it('should fail two remote secrets that rewrite to the same key', () => {
    const result = reconcile(
      {
        dataFrom: [
          {
            find: {},
            rewrite: [{ regexp: { source: '^(DEV|PROD)_', target: '' } }],
          },
        ],
      },
      {
        'dataFrom[0]': readFound({ DEV_PASS: 'd', PROD_PASS: 'p', OTHER: 'o' }),
      },
    );
    expect(texts(result.desired?.data)).toEqual({ OTHER: 'o' });
    expect(result.keys.filter(k => k.reason === 'DuplicateKey')).toHaveLength(
      2,
    );
    expect(result.condition.message).toContain(
      'remote "DEV_PASS" and "PROD_PASS" both become key "PASS"',
    );
  });

  // ESO's getProviderSecretData (pkg/controllers/externalsecret/
  // externalsecret_controller_secret.go) merges dataFrom entries in order
  // (utils.MergeByteMap: a later entry wins), then sets each data entry's key
  // over them: the "extract everything, override one key" pattern.
  it('should let data override dataFrom, and say so on the overridden key', () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'user', remoteRef: { key: 'USER' } }],
      dataFrom: [{ extract: { key: 'APP' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['data[0]', readOk('from-data')],
        ['dataFrom[0]', readOk('{"user":"from-extract","host":"h"}')],
      ]),
      current: currentSecret({ user: 'current' }, OWNED),
      now: NOW,
    });
    expect(texts(result.desired?.data)).toEqual({
      user: 'from-data',
      host: 'h',
    });
    expect(result.condition.status).toBe('True');
    const overridden = result.keys.find(
      k => k.source === 'dataFrom[0]' && k.secretKey === 'user',
    );
    expect(overridden).toMatchObject({
      state: 'synced',
      reason: 'Overridden',
      message: 'key "user" of dataFrom[0] is overridden by data[0]',
    });
  });

  it('should let a later dataFrom entry win over an earlier one', () => {
    const parsed = parsedExternalSecret({
      dataFrom: [{ extract: { key: 'BASE' } }, { extract: { key: 'PROD' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['dataFrom[0]', readOk('{"url":"base","port":"1"}')],
        ['dataFrom[1]', readOk('{"url":"prod"}')],
      ]),
      now: NOW,
    });
    expect(texts(result.desired?.data)).toEqual({ url: 'prod', port: '1' });
  });

  it('should keep the current value when the overriding data entry fails, not fall back to dataFrom', () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'user', remoteRef: { key: 'USER' } }],
      dataFrom: [{ extract: { key: 'APP' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['data[0]', readFailed('UNAVAILABLE', 'Infisical answered 503')],
        ['dataFrom[0]', readOk('{"user":"from-extract","host":"h"}')],
      ]),
      current: currentSecret({ user: 'current' }, OWNED),
      now: NOW,
    });
    expect(texts(result.desired?.data)).toEqual({ user: 'current', host: 'h' });
  });

  it('should let the later of two data entries with the same secretKey win (ESO refuses them only under Retain)', () => {
    const result = reconcile(
      {
        target: { deletionPolicy: 'Delete' },
        data: [
          { secretKey: 'k', remoteRef: { key: 'A' } },
          { secretKey: 'k', remoteRef: { key: 'B' } },
          { secretKey: 'z', remoteRef: { key: 'Z' } },
        ],
      },
      {
        'data[0]': readOk('a'),
        'data[1]': readOk('b'),
        'data[2]': readOk('z'),
      },
    );
    expect(texts(result.desired?.data)).toEqual({ k: 'b', z: 'z' });
  });
});

describe('reconcileExternalSecret immutable and size', () => {
  it('should create an immutable Secret when target.immutable is set', () => {
    const result = reconcile(
      {
        target: { immutable: true },
        data: [{ secretKey: 'a', remoteRef: { key: 'A' } }],
      },
      { 'data[0]': readOk('v') },
    );
    expect(result.desired?.immutable).toBe(true);
  });

  it('should refuse to change the data of an immutable Secret, naming the keys', () => {
    const parsed = parsedExternalSecret({
      target: { immutable: true },
      data: [{ secretKey: 'a', remoteRef: { key: 'A' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['data[0]', readOk('new')]]),
      current: currentSecret({ a: 'old' }, OWNED, { immutable: true }),
      now: NOW,
    });
    expect(result.action).toBe('none');
    expect(result.condition.message).toContain(
      'could not update secret, target is immutable: Secret my-namespace/my-secret is immutable and its data would change (keys: a)',
    );
  });

  it('should refuse a Secret above 1 MiB', () => {
    const big = SecretValue.fromBytes(new Uint8Array(1024 * 1024));
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'a', remoteRef: { key: 'A' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['data[0]', { ok: true, secret: { value: big } }]]),
      now: NOW,
    });
    expect(result.action).toBe('none');
    expect(result.condition.message).toContain(
      "would hold 1048577 bytes of data, above Kubernetes' limit of 1048576 (1 MiB)",
    );
  });
});

// ESO's nullBytePolicy (pkg/controllers/externalsecret: validateFetchedSecretValue
// fails reconciliation with `fetched secret value for key "payload" contains
// null bytes`; Ignore, the default, lets NUL bytes through).
describe('reconcileExternalSecret nullBytePolicy', () => {
  const NUL = 'a\u0000b';

  it('should write nothing and name the key when a fetched value has a NUL byte under Fail', () => {
    const parsed = parsedExternalSecret({
      data: [
        {
          secretKey: 'payload',
          remoteRef: { key: 'P', nullBytePolicy: 'Fail' },
        },
        { secretKey: 'safe', remoteRef: { key: 'S' } },
      ],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['data[0]', readOk(NUL)],
        ['data[1]', readOk('value')],
      ]),
      current: currentSecret({ payload: 'old', safe: 'old' }, OWNED),
      now: NOW,
    });
    expect(result.action).toBe('none');
    expect(result.keys[0]).toMatchObject({
      state: 'error',
      reason: 'NullBytes',
      message: 'fetched secret value for key "payload" contains null bytes',
    });
    expect(result.condition.status).toBe('False');
    expect(JSON.stringify(result)).not.toContain(NUL);
  });

  it('should fail a find under Fail when one listed value has a NUL byte', () => {
    const parsed = parsedExternalSecret({
      dataFrom: [{ find: { name: { regexp: '^A' }, nullBytePolicy: 'Fail' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['dataFrom[0]', readFound({ A1: 'ok', A2: NUL })]]),
      now: NOW,
    });
    expect(result.action).toBe('none');
    expect(result.condition.message).toContain(
      'fetched secret value for key "A2" contains null bytes',
    );
  });

  it('should let NUL bytes through under Ignore (the default)', () => {
    const result = reconcile(
      { data: [{ secretKey: 'payload', remoteRef: { key: 'P' } }] },
      { 'data[0]': readOk(NUL) },
    );
    expect(texts(result.desired?.data)).toEqual({ payload: NUL });
  });
});
