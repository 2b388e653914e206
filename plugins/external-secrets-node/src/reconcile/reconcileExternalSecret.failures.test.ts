import {
  LABEL_CREATED_BY,
  type DeletionPolicy,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SEED_CREATED_BY } from './__fixtures__/goHashes';
import { parsedExternalSecret } from '../testUtils/parsedExternalSecret';
import {
  currentSecret,
  readFailed,
  readFound,
  readGone,
  readOk,
  texts,
} from '../testUtils/reads';
import { NOW } from '../testUtils/syncWithFake';
import { reconcileExternalSecret } from './reconcileExternalSecret';
import type { CurrentSecret, ReadOutcome } from './types';

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

function twoKeys(
  deletionPolicy: DeletionPolicy = 'Retain',
  creationPolicy: 'Owner' | 'Orphan' = 'Owner',
) {
  return parsedExternalSecret({
    target: { deletionPolicy, creationPolicy },
    data: [
      { secretKey: 'db-password', remoteRef: { key: 'DB_PASSWORD' } },
      { secretKey: 'api-key', remoteRef: { key: 'API_KEY' } },
    ],
  });
}

/** `current`: the Secret in the cluster (default: both keys, owned by us), or 'absent'. */
function run(
  reads: Record<string, ReadOutcome>,
  current: CurrentSecret | 'absent' = currentSecret(
    { 'db-password': 'old-db', 'api-key': 'old-api' },
    OWNED,
  ),
  parsed = twoKeys(),
) {
  return reconcileExternalSecret({
    parsed,
    reads: new Map(Object.entries(reads)),
    current: current === 'absent' ? undefined : current,
    now: NOW,
  });
}

const unavailable = readFailed(
  'UNAVAILABLE',
  'Infisical answered 503 for GET /api/v3/secrets/raw/DB_PASSWORD',
  {
    store: 'ClusterSecretStore/infisical-archon-platform',
    httpStatus: 503,
    requestId: 'req-42',
    key: 'DB_PASSWORD',
  },
);

describe('reconcileExternalSecret failures', () => {
  it.each<[string, ReadOutcome]>([
    ['a 503', unavailable],
    ['a timeout', readFailed('TIMEOUT', 'no answer within 10s')],
    [
      'a 429 rate limit',
      readFailed('RATE_LIMITED', 'rate limited', {
        httpStatus: 429,
        retryAfterSeconds: 30,
      }),
    ],
    [
      'a 403 permission error',
      readFailed('PERMISSION_DENIED', 'identity lacks read on /', {
        httpStatus: 403,
      }),
    ],
    [
      'a missing folder',
      readFailed('FOLDER_NOT_FOUND', 'folder /app does not exist', {
        httpStatus: 404,
      }),
    ],
    [
      'a 404 without proof that the folder exists',
      readFailed('KEY_NOT_FOUND', 'not found', { httpStatus: 404 }),
    ],
  ])(
    'should keep the current value of a key whose read failed with %s and sync the others',
    (_name, failure) => {
      const result = run({ 'data[0]': failure, 'data[1]': readOk('new-api') });

      expect(result.action).toBe('update');
      expect(texts(result.desired?.data)).toEqual({
        'db-password': 'old-db',
        'api-key': 'new-api',
      });
      expect(result.changedKeys).toEqual(['api-key']);
      expect(result.removedKeys).toEqual([]);
      expect(result.keys.map(k => [k.secretKey, k.state])).toEqual([
        ['db-password', 'error'],
        ['api-key', 'synced'],
      ]);
      expect(result.condition).toMatchObject({
        status: 'False',
        reason: 'SecretSyncedError',
      });
    },
  );

  it('should name store, key, HTTP status and request id in the condition, never a generic text only', () => {
    const result = run({
      'data[0]': unavailable,
      'data[1]': readOk('new-api'),
    });
    expect(result.condition.message).toBe(
      'could not get secret data from provider: 1 of 2 keys failed: data[0] key "db-password": UNAVAILABLE: Infisical answered 503 for GET /api/v3/secrets/raw/DB_PASSWORD (store ClusterSecretStore/infisical-archon-platform, request id req-42)',
    );
    expect(result.keys[0]).toMatchObject({
      errorType: 'UNAVAILABLE',
      reason: 'ProviderError',
      remoteKey: 'DB_PASSWORD',
    });
  });

  it('should write nothing when every entry failed', () => {
    const result = run({
      'data[0]': unavailable,
      'data[1]': readFailed('AUTH_FAILED', 'login rejected (401)', {
        httpStatus: 401,
      }),
    });
    expect(result.action).toBe('none');
    expect(result.desired).toBeUndefined();
    expect(result.condition.message).toContain('2 of 2 keys failed');
    expect(result.condition.message).toContain(
      'AUTH_FAILED: login rejected (401)',
    );
  });

  it('should not create the key that failed when the Secret does not exist yet', () => {
    const result = run(
      { 'data[0]': unavailable, 'data[1]': readOk('new-api') },
      'absent',
    );
    expect(result.action).toBe('create');
    expect(texts(result.desired?.data)).toEqual({ 'api-key': 'new-api' });
  });

  it('should fail only the keys of a store that is not ready, naming the store', () => {
    const parsed = parsedExternalSecret({
      data: [
        { secretKey: 'a', remoteRef: { key: 'A' } },
        {
          secretKey: 'b',
          remoteRef: { key: 'B' },
          sourceRef: { storeRef: { name: 'backup', kind: 'SecretStore' } },
        },
      ],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['data[0]', readOk('va')]]),
      storeStatus: new Map([
        [
          'SecretStore/backup',
          {
            ready: false,
            message: 'InvalidProviderConfig: secretsScope.projectSlug is empty',
          },
        ],
      ]),
      now: NOW,
    });
    expect(result.action).toBe('create');
    expect(texts(result.desired?.data)).toEqual({ a: 'va' });
    expect(result.keys[1]).toMatchObject({
      secretKey: 'b',
      state: 'error',
      reason: 'StoreNotReady',
      storeRef: { name: 'backup', kind: 'SecretStore' },
    });
    expect(result.condition.message).toContain(
      'store SecretStore/backup is not ready: InvalidProviderConfig: secretsScope.projectSlug is empty',
    );
  });

  it('should report a key that was not read this cycle as pending and keep its value', () => {
    const result = run({ 'data[1]': readOk('new-api') });
    expect(result.keys[0]).toMatchObject({
      state: 'pending',
      reason: 'NotRead',
    });
    expect(texts(result.desired?.data)).toEqual({
      'db-password': 'old-db',
      'api-key': 'new-api',
    });
  });

  it('should report an UNSUPPORTED provider answer as unsupported', () => {
    const parsed = parsedExternalSecret({
      dataFrom: [{ find: { tags: { env: 'prod' } } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        [
          'dataFrom[0]',
          readFailed('UNSUPPORTED', 'find.tags is not supported'),
        ],
      ]),
      now: NOW,
    });
    expect(result.keys[0]).toMatchObject({
      source: 'dataFrom[0]',
      state: 'unsupported',
      errorType: 'UNSUPPORTED',
    });
    expect(result.action).toBe('none');
  });

  // ESO's CRD validation refuses the whole object, so the spec in force stays
  // the last valid one; an entity-declared manifest has no such gate. Writing
  // the valid entries alone would drop the invalid entry's key (issue #19).
  it('should write nothing while an entry is invalid, and name the entry by its manifest index', () => {
    const parsed = parsedExternalSecret({
      data: [
        { secretKey: 'a', remoteRef: { key: 'A' } },
        { secretKey: 'c', remoteRef: { key: 'C' } },
      ],
      dataIndexes: [0, 2],
      invalidEntries: [
        {
          field: 'data',
          index: 1,
          secretKey: 'a b',
          issues: [
            {
              severity: 'error',
              path: 'spec.data[1].secretKey',
              message:
                'spec.data[1].secretKey: must consist of alphanumeric characters, -, _ or .',
            },
          ],
        },
      ],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['data[0]', readOk('va')],
        ['data[2]', readOk('vc')],
      ]),
      current: currentSecret({ a: 'old', username: 'kept', c: 'old' }, OWNED),
      now: NOW,
    });
    expect(result.action).toBe('none');
    expect(result.desired).toBeUndefined();
    expect(result.removedKeys).toEqual([]);
    expect(result.keys.map(k => [k.source, k.state])).toEqual([
      ['data[0]', 'pending'],
      ['data[1]', 'error'],
      ['data[2]', 'pending'],
    ]);
    expect(result.keys[0].message).toContain('data[1] is invalid');
    expect(result.condition).toMatchObject({ status: 'False' });
    expect(result.condition.message).toContain(
      'spec.data[1].secretKey: must consist of',
    );
    expect(result.condition.message).toContain('nothing is written');
  });

  it('should still sync the other entries when an entry is only unsupported (ESO accepts it)', () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'a', remoteRef: { key: 'A' } }],
      dataIndexes: [0],
      invalidEntries: [
        {
          field: 'data',
          index: 1,
          secretKey: 'b',
          issues: [
            {
              severity: 'unsupported',
              path: 'spec.data[1].sourceRef.generatorRef',
              message: 'unsupported: data[1].sourceRef.generatorRef',
            },
          ],
        },
      ],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['data[0]', readOk('va')]]),
      current: currentSecret({ a: 'old', b: 'kept' }, OWNED),
      now: NOW,
    });
    expect(texts(result.desired?.data)).toEqual({ a: 'va', b: 'kept' });
  });

  it('should report an unsupported generator source without reading it', () => {
    const parsed = parsedExternalSecret({
      data: [
        {
          secretKey: 'g',
          remoteRef: { key: 'x' },
          sourceRef: { generatorRef: { kind: 'Password', name: 'pw' } },
        },
      ],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map(),
      now: NOW,
    });
    expect(result.keys[0]).toMatchObject({
      state: 'unsupported',
      message: 'unsupported: data[0].sourceRef.generatorRef',
    });
  });
});

describe('reconcileExternalSecret deletion policies', () => {
  it('should keep a key the provider proved gone under Retain, and say why', () => {
    const result = run({
      'data[0]': readGone('DB_PASSWORD'),
      'data[1]': readOk('new-api'),
    });
    expect(texts(result.desired?.data)).toEqual({
      'db-password': 'old-db',
      'api-key': 'new-api',
    });
    expect(result.keys[0]).toMatchObject({
      state: 'error',
      reason: 'RemoteKeyGone',
    });
    expect(result.keys[0].message).toContain('deletionPolicy is Retain');
  });

  it('should call a key the Secret never had "does not exist", offer the nearest names, and not advise Merge/Delete', () => {
    const mistyped = readFailed(
      'KEY_NOT_FOUND',
      'key "DB_PASWORD" does not exist in folder "/"',
      {
        key: 'DB_PASWORD',
        folderExists: true,
        httpStatus: 404,
        similarKeys: ['DB_PASSWORD', 'DB_USER'],
      },
    );
    const result = run(
      { 'data[0]': mistyped, 'data[1]': readOk('new-api') },
      currentSecret({ 'api-key': 'old-api' }, OWNED),
    );
    expect(result.keys[0]).toMatchObject({
      state: 'error',
      reason: 'RemoteKeyNotFound',
    });
    expect(result.keys[0].message).toContain('does not exist');
    expect(result.keys[0].message).toContain(
      'did you mean "DB_PASSWORD" or "DB_USER"?',
    );
    expect(result.keys[0].message).not.toMatch(/Merge|Delete/);
  });

  it('should remove only the proven-gone key under Merge', () => {
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': readOk('new-api') },
      undefined,
      twoKeys('Merge'),
    );
    expect(result.action).toBe('update');
    expect(texts(result.desired?.data)).toEqual({ 'api-key': 'new-api' });
    expect(result.removedKeys).toEqual(['db-password']);
    expect(result.keys[0]).toMatchObject({
      state: 'removed',
      reason: 'RemoteKeyGone',
    });
    expect(result.condition).toMatchObject({
      status: 'True',
      reason: 'SecretSynced',
    });
  });

  it.each<DeletionPolicy>(['Merge', 'Delete'])(
    'should not remove a key on a 404 that does not prove the folder exists (%s)',
    policy => {
      const notProven = readFailed('KEY_NOT_FOUND', 'not found', {
        httpStatus: 404,
        folderExists: false,
      });
      const result = run(
        { 'data[0]': notProven, 'data[1]': readOk('new-api') },
        undefined,
        twoKeys(policy),
      );
      expect(texts(result.desired?.data)).toEqual({
        'db-password': 'old-db',
        'api-key': 'new-api',
      });
    },
  );

  it('should delete the Secret under Delete only when every entry proves its keys are gone', () => {
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': readGone('API_KEY') },
      undefined,
      twoKeys('Delete'),
    );
    expect(result.action).toBe('delete');
    expect(result.condition).toMatchObject({
      status: 'True',
      reason: 'SecretDeleted',
      message: 'secret deleted due to DeletionPolicy=Delete',
    });
    expect(result.removedKeys).toEqual(['api-key', 'db-password']);
  });

  it('should only remove the gone key under Delete while another key still exists', () => {
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': readOk('new-api') },
      undefined,
      twoKeys('Delete'),
    );
    expect(result.action).toBe('update');
    expect(texts(result.desired?.data)).toEqual({ 'api-key': 'new-api' });
  });

  it('should not delete under Delete when one entry failed and the other is gone', () => {
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': unavailable },
      undefined,
      twoKeys('Delete'),
    );
    expect(result.action).toBe('none');
    expect(result.condition.reason).toBe('SecretSyncedError');
  });

  it('should report SecretDeleted without a write when the Secret is already gone', () => {
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': readGone('API_KEY') },
      'absent',
      twoKeys('Delete'),
    );
    expect(result).toMatchObject({
      action: 'none',
      condition: { reason: 'SecretDeleted' },
    });
  });

  it('should refuse to delete a Secret of creationPolicy Orphan, as ESO does', () => {
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': readGone('API_KEY') },
      undefined,
      twoKeys('Delete', 'Orphan'),
    );
    expect(result.action).toBe('none');
    expect(result.condition.message).toContain(
      'deletionPolicy Delete needs creationPolicy Owner (it is Orphan)',
    );
  });

  it('should refuse to delete a Secret this ExternalSecret did not create', () => {
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': readGone('API_KEY') },
      currentSecret({ 'api-key': 'x' }),
      twoKeys('Delete'),
    );
    expect(result.action).toBe('none');
    expect(result.condition.message).toContain(
      'was not created by this ExternalSecret',
    );
  });

  it('should delete a Secret recognised by its created-by label', () => {
    const current = currentSecret(
      { 'api-key': 'x' },
      { labels: { [LABEL_CREATED_BY]: SEED_CREATED_BY } },
    );
    const result = run(
      { 'data[0]': readGone('DB_PASSWORD'), 'data[1]': readGone('API_KEY') },
      current,
      twoKeys('Delete'),
    );
    expect(result.action).toBe('delete');
  });

  it.each<DeletionPolicy>(['Retain', 'Merge', 'Delete'])(
    'should never delete or empty anything on an empty find result (%s)',
    policy => {
      const parsed = parsedExternalSecret({
        target: { deletionPolicy: policy },
        dataFrom: [{ find: { name: { regexp: '^APP_' } } }],
      });
      const current = currentSecret({ APP_A: 'a', APP_B: 'b' }, OWNED);
      const result = reconcileExternalSecret({
        parsed,
        reads: new Map([['dataFrom[0]', readFound({})]]),
        current,
        now: NOW,
      });
      expect(result.action).toBe('none');
      expect(result.desired).toBeUndefined();
      expect(result.removedKeys).toEqual([]);
      expect(result.condition).toMatchObject({
        status: 'True',
        reason: 'SecretSynced',
      });
      expect(result.keys[0]).toMatchObject({ reason: 'EmptyResult' });
      expect(result.keys[0].message).toContain('never treated as deletion');
    },
  );

  it('should not create an empty Secret from an empty find result', () => {
    const parsed = parsedExternalSecret({
      dataFrom: [{ find: { name: { regexp: '^APP_' } } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['dataFrom[0]', readFound({})]]),
      now: NOW,
    });
    expect(result.action).toBe('none');
    expect(result.condition).toMatchObject({
      status: 'True',
      reason: 'SecretSynced',
    });
  });

  // ESO re-renders the Secret from what find returned: a successful listing
  // with fewer keys drops the others (externalsecret_controller.go,
  // getProviderSecretData then the Secret's data replaced). Only an EMPTY
  // listing keeps them (our one safety rule, above).
  it.each<DeletionPolicy>(['Retain', 'Merge'])(
    'should drop a key that disappeared from a successful, non-empty find listing (%s)',
    policy => {
      const parsed = parsedExternalSecret({
        target: { deletionPolicy: policy },
        dataFrom: [{ find: { name: { regexp: '^APP_' } } }],
      });
      const current = currentSecret({ APP_A: 'a', APP_B: 'b' }, OWNED);
      const result = reconcileExternalSecret({
        parsed,
        reads: new Map([['dataFrom[0]', readFound({ APP_A: 'a2' })]]),
        current,
        now: NOW,
      });
      expect(texts(result.desired?.data)).toEqual({ APP_A: 'a2' });
      expect(result.removedKeys).toEqual(['APP_B']);
    },
  );

  it('should keep every key while a find listing next to it fails', () => {
    const parsed = parsedExternalSecret({
      dataFrom: [
        { find: { name: { regexp: '^APP_' } } },
        { find: { name: { regexp: '^DB_' } } },
      ],
    });
    const current = currentSecret({ APP_A: 'a', APP_B: 'b', DB_X: 'x' }, OWNED);
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['dataFrom[0]', readFound({ APP_A: 'a2' })],
        ['dataFrom[1]', readFailed('UNAVAILABLE', 'Infisical answered 503')],
      ]),
      current,
      now: NOW,
    });
    expect(texts(result.desired?.data)).toEqual({
      APP_A: 'a2',
      APP_B: 'b',
      DB_X: 'x',
    });
  });

  it('should drop keys whose data entry was removed from the spec (Owner, every read answered)', () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'api-key', remoteRef: { key: 'API_KEY' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['data[0]', readOk('v')]]),
      current: currentSecret({ 'api-key': 'v', 'old-key': 'x' }, OWNED),
      now: NOW,
    });
    expect(result.removedKeys).toEqual(['old-key']);
  });

  it('should keep unknown keys while a dataFrom entry cannot be read', () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'api-key', remoteRef: { key: 'API_KEY' } }],
      dataFrom: [{ extract: { key: 'APP_CONFIG' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['data[0]', readOk('v2')],
        ['dataFrom[0]', unavailable],
      ]),
      current: currentSecret({ 'api-key': 'v', host: 'h', port: '1' }, OWNED),
      now: NOW,
    });
    expect(texts(result.desired?.data)).toEqual({
      'api-key': 'v2',
      host: 'h',
      port: '1',
    });
    expect(result.keys.find(k => k.source === 'dataFrom[0]')).toMatchObject({
      state: 'error',
      remoteKey: 'APP_CONFIG',
    });
  });

  it('should remove the keys of an extract whose remote secret is proven gone under Merge', () => {
    const parsed = parsedExternalSecret({
      target: { deletionPolicy: 'Merge' },
      data: [{ secretKey: 'api-key', remoteRef: { key: 'API_KEY' } }],
      dataFrom: [{ extract: { key: 'APP_CONFIG' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([
        ['data[0]', readOk('v')],
        ['dataFrom[0]', readGone('APP_CONFIG')],
      ]),
      current: currentSecret({ 'api-key': 'v', host: 'h' }, OWNED),
      now: NOW,
    });
    expect(texts(result.desired?.data)).toEqual({ 'api-key': 'v' });
    expect(result.keys[0]).toMatchObject({
      source: 'dataFrom[0]',
      state: 'removed',
    });
  });
});
