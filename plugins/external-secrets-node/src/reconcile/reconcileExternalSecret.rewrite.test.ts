import {
  parsedExternalSecret,
  type ExternalSecretFixture,
} from '../testUtils/parsedExternalSecret';
import { currentSecret, readFound, readOk, texts } from '../testUtils/reads';
import { NOW } from '../testUtils/syncWithFake';
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

function reconcile(
  fixture: ExternalSecretFixture,
  reads: Record<string, ReadOutcome>,
  current?: Record<string, string>,
) {
  return reconcileExternalSecret({
    parsed: parsedExternalSecret(fixture),
    reads: new Map(Object.entries(reads)),
    ...(current ? { current: currentSecret(current, OWNED) } : {}),
    now: NOW,
  });
}

// ESO's RewriteMap (runtime/esutils/utils.go): each operation in order on every
// key; RewriteTransform executes `transform.template` with `{"value": key}` and
// the template function map; ValidateKeys then drops keys that became empty.
describe('reconcileExternalSecret rewrite.transform', () => {
  it('should rename every key through the Go template, with .value the key', () => {
    const result = reconcile(
      {
        dataFrom: [
          {
            find: { name: { regexp: '.' } },
            rewrite: [
              { transform: { template: '{{ .value | lower }}' } },
              { transform: { template: 'app-{{ .value }}' } },
            ],
          },
        ],
      },
      { 'dataFrom[0]': readFound({ DB_USER: 'u', DB_PASS: 'p' }) },
    );
    expect(result.condition.status).toBe('True');
    expect(texts(result.desired?.data)).toEqual({
      'app-db_user': 'u',
      'app-db_pass': 'p',
    });
  });

  it('should chain regexp and transform operations in order', () => {
    const result = reconcile(
      {
        dataFrom: [
          {
            extract: { key: 'APP' },
            rewrite: [
              { regexp: { source: '^prod_', target: '' } },
              { transform: { template: '{{ .value | upper }}' } },
            ],
          },
        ],
      },
      { 'dataFrom[0]': readOk(JSON.stringify({ prod_user: 'u' })) },
    );
    expect(texts(result.desired?.data)).toEqual({ USER: 'u' });
  });

  it('should fail the entry, naming the operation, key position and function, and keep the current keys when the template breaks', () => {
    const result = reconcile(
      {
        dataFrom: [
          {
            find: { name: { regexp: '.' } },
            rewrite: [{ transform: { template: '{{ .value | nosuch }}' } }],
          },
        ],
      },
      { 'dataFrom[0]': readFound({ A: 'a' }) },
      { a: 'old' },
    );
    expect(result.condition.status).toBe('False');
    expect(result.keys[0]).toMatchObject({
      state: 'error',
      reason: 'RewriteFailed',
    });
    expect(result.keys[0].message).toContain(
      'dataFrom[0].rewrite[0].transform',
    );
    expect(result.keys[0].message).toContain('nosuch');
    expect(result.removedKeys).toEqual([]);
    expect(result.action).toBe('none');
  });
});

describe('reconcileExternalSecret keys emptied by a rewrite', () => {
  it('should drop a key that a rewrite makes empty, as ESO ValidateKeys does, and sync the rest', () => {
    const result = reconcile(
      {
        dataFrom: [
          {
            find: { name: { regexp: '.' } },
            rewrite: [{ regexp: { source: '^DROP_ME$', target: '' } }],
          },
        ],
      },
      { 'dataFrom[0]': readFound({ DROP_ME: 'x', KEEP: 'k' }) },
    );
    expect(result.condition.status).toBe('True');
    expect(texts(result.desired?.data)).toEqual({ KEEP: 'k' });
    expect(result.keys.some(k => k.reason === 'InvalidKey')).toBe(false);
  });

  it('should keep the current keys when every key of a find becomes empty (never emptied by a listing)', () => {
    const result = reconcile(
      {
        dataFrom: [
          {
            find: { name: { regexp: '.' } },
            rewrite: [{ transform: { template: '' } }],
          },
        ],
        data: [{ secretKey: 'other', remoteRef: { key: 'OTHER' } }],
      },
      { 'dataFrom[0]': readFound({ A: 'a' }), 'data[0]': readOk('o') },
      { A: 'old', other: 'o' },
    );
    expect(result.removedKeys).toEqual([]);
    expect(result.keys).toContainEqual(
      expect.objectContaining({
        remoteKey: 'A',
        message:
          'dataFrom[0]: remote "A" becomes an empty key and is dropped, as ESO does',
      }),
    );
    expect(texts(result.desired?.data)).toEqual({ A: 'old', other: 'o' });
  });
});

// ESO's convert (runtime/esutils/utils.go) with ConversionStrategy Unicode:
// every rune that is not a letter, number, '-', '.' or '_' becomes _U%04x_.
describe('reconcileExternalSecret conversionStrategy Unicode', () => {
  it('should encode a character outside the key alphabet as _U<hex>_ on extract', () => {
    const result = reconcile(
      {
        dataFrom: [{ extract: { key: 'APP', conversionStrategy: 'Unicode' } }],
      },
      { 'dataFrom[0]': readOk(JSON.stringify({ 'db pass@1': 'v' })) },
    );
    expect(texts(result.desired?.data)).toEqual({ db_U0020_pass_U0040_1: 'v' });
  });
});
