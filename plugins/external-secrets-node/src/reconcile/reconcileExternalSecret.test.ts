import {
  ANNOTATION_DATA_HASH,
  LABEL_CREATED_BY,
  LABEL_MANAGED,
  type CreationPolicy,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SEED_CREATED_BY } from './__fixtures__/goHashes';
import { fakeStore } from '../testUtils/fakeStore';
import {
  parsedExternalSecret,
  SEED_STORE_REF,
} from '../testUtils/parsedExternalSecret';
import { currentSecret, readOk, texts } from '../testUtils/reads';
import { NOW, syncWithFake, written } from '../testUtils/syncWithFake';
import { computeDataHash } from './computeDataHash';
import { planReads } from './planReads';
import { reconcileExternalSecret } from './reconcileExternalSecret';
import type { CurrentSecret } from './types';

/** The user's seed ExternalSecret, verbatim. */
const seed = parsedExternalSecret({
  name: 'my-secret',
  namespace: 'my-namespace',
  refreshInterval: '1h',
  secretStoreRef: {
    name: 'infisical-archon-platform',
    kind: 'ClusterSecretStore',
  },
  target: { name: 'my-secret' },
  data: [{ secretKey: 'api-key', remoteRef: { key: 'MY_SECRET_NAME' } }],
});
const seedStore = fakeStore([{ key: 'MY_SECRET_NAME', value: 'seed-value' }]);

const OUR_REF = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  name: 'my-secret',
  uid: 'es-uid-1',
  controller: true,
  blockOwnerDeletion: true,
};

describe('reconcileExternalSecret', () => {
  describe('the seed ExternalSecret', () => {
    it('should create Secret my-secret with key api-key from the fake provider', async () => {
      const result = await syncWithFake({ parsed: seed, stores: [seedStore] });

      expect(result.action).toBe('create');
      expect(result.desired?.metadata).toMatchObject({
        name: 'my-secret',
        namespace: 'my-namespace',
      });
      expect(texts(result.desired?.data)).toEqual({ 'api-key': 'seed-value' });
      expect(result.desired?.type).toBe('Opaque');
      expect(result.condition).toEqual({
        type: 'Ready',
        status: 'True',
        reason: 'SecretSynced',
        message: 'secret synced',
        lastTransitionTime: NOW.toISOString(),
      });
      expect(result.keys).toEqual([
        {
          secretKey: 'api-key',
          source: 'data[0]',
          storeRef: SEED_STORE_REF,
          remoteKey: 'MY_SECRET_NAME',
          state: 'synced',
          reason: 'Synced',
        },
      ]);
      expect(result.changedKeys).toEqual(['api-key']);
    });

    it('should label, annotate and own the Secret exactly as ESO does', async () => {
      const result = await syncWithFake({ parsed: seed, stores: [seedStore] });

      expect(result.desired?.metadata.labels).toEqual({
        [LABEL_MANAGED]: 'true',
        [LABEL_CREATED_BY]: SEED_CREATED_BY,
      });
      expect(result.desired?.metadata.annotations).toEqual({
        [ANNOTATION_DATA_HASH]: computeDataHash(result.desired!.data),
      });
      expect(result.dataHash).toBe(computeDataHash(result.desired!.data));
      expect(result.desired?.metadata.ownerReferences).toEqual([OUR_REF]);
    });

    it('should write nothing on the next cycle when nothing changed (steady state)', async () => {
      const first = await syncWithFake({ parsed: seed, stores: [seedStore] });
      const second = await syncWithFake({
        parsed: seed,
        stores: [seedStore],
        current: written(first.desired!),
      });

      expect(second.action).toBe('none');
      expect(second.changedKeys).toEqual([]);
      expect(second.condition.reason).toBe('SecretSynced');
    });

    it('should heal data edited by hand in the cluster', async () => {
      const first = await syncWithFake({ parsed: seed, stores: [seedStore] });
      const edited = written(first.desired!);
      edited.data = currentSecret({ 'api-key': 'hand-edited' }).data;

      const result = await syncWithFake({
        parsed: seed,
        stores: [seedStore],
        current: edited,
      });

      expect(result.action).toBe('update');
      expect(texts(result.desired?.data)).toEqual({ 'api-key': 'seed-value' });
      expect(result.changedKeys).toEqual(['api-key']);
    });

    it('should update the Secret when the remote value changes', async () => {
      const first = await syncWithFake({ parsed: seed, stores: [seedStore] });
      const rotated = fakeStore([
        { key: 'MY_SECRET_NAME', value: 'rotated-value' },
      ]);

      const result = await syncWithFake({
        parsed: seed,
        stores: [rotated],
        current: written(first.desired!),
      });

      expect(result.action).toBe('update');
      expect(texts(result.desired?.data)).toEqual({
        'api-key': 'rotated-value',
      });
      expect(
        result.desired?.metadata.annotations[ANNOTATION_DATA_HASH],
      ).not.toBe(first.dataHash);
    });

    it('should plan one read with a stable id for the seed', () => {
      expect(planReads(seed)).toEqual([
        {
          id: 'data[0]',
          storeRef: SEED_STORE_REF,
          operation: { kind: 'get', key: 'MY_SECRET_NAME' },
        },
      ]);
    });
  });

  describe('creation policies', () => {
    const foreign = () =>
      currentSecret(
        { 'api-key': 'old', 'foreign-key': 'theirs' },
        { labels: { team: 'payments' }, annotations: { note: 'hand-made' } },
      );

    type Case = {
      policy: CreationPolicy;
      current?: () => CurrentSecret;
      when: string;
      action: string;
      reason: string;
      data?: Record<string, string>;
      owned?: boolean;
      labels?: Record<string, string>;
    };
    const cases: Case[] = [
      {
        policy: 'Owner',
        when: 'is absent',
        action: 'create',
        reason: 'SecretSynced',
        data: { 'api-key': 'new' },
        owned: true,
      },
      {
        policy: 'Owner',
        current: foreign,
        when: 'exists with a foreign key',
        action: 'update',
        reason: 'SecretSynced',
        data: { 'api-key': 'new' },
        owned: true,
        labels: { team: 'payments' },
      },
      {
        policy: 'Orphan',
        when: 'is absent',
        action: 'create',
        reason: 'SecretSynced',
        data: { 'api-key': 'new' },
        owned: false,
      },
      {
        policy: 'Orphan',
        current: foreign,
        when: 'exists with a foreign key',
        action: 'update',
        reason: 'SecretSynced',
        data: { 'api-key': 'new' },
        owned: false,
        labels: { team: 'payments' },
      },
      {
        policy: 'Merge',
        when: 'is absent',
        action: 'wait',
        reason: 'SecretMissing',
      },
      {
        policy: 'Merge',
        current: foreign,
        when: 'exists with a foreign key',
        action: 'update',
        reason: 'SecretSynced',
        data: { 'api-key': 'new', 'foreign-key': 'theirs' },
        owned: false,
        labels: { team: 'payments' },
      },
      {
        policy: 'CreateOrMerge',
        when: 'is absent',
        action: 'create',
        reason: 'SecretSynced',
        data: { 'api-key': 'new' },
        owned: false,
      },
      {
        policy: 'CreateOrMerge',
        current: foreign,
        when: 'exists with a foreign key',
        action: 'update',
        reason: 'SecretSynced',
        data: { 'api-key': 'new', 'foreign-key': 'theirs' },
        owned: false,
        labels: { team: 'payments' },
      },
      {
        policy: 'None',
        when: 'is absent',
        action: 'none',
        reason: 'SecretSynced',
      },
      {
        policy: 'None',
        current: foreign,
        when: 'exists with a foreign key',
        action: 'none',
        reason: 'SecretSynced',
      },
    ];

    it.each(cases)(
      'should $action with creationPolicy $policy when the Secret $when',
      ({ policy, current, action, reason, data, owned, labels }) => {
        const parsed = parsedExternalSecret({
          target: { creationPolicy: policy },
          data: [{ secretKey: 'api-key', remoteRef: { key: 'K' } }],
        });
        const result = reconcileExternalSecret({
          parsed,
          reads: new Map([['data[0]', readOk('new')]]),
          current: current?.(),
          now: NOW,
        });

        expect(result.action).toBe(action);
        expect(result.condition.reason).toBe(reason);
        expect(texts(result.desired?.data)).toEqual(data);
        expect(result.keys.map(k => k.state)).toEqual(['synced']);
        if (!data) return;
        const meta = result.desired!.metadata;
        expect(meta.ownerReferences ?? []).toEqual(owned ? [OUR_REF] : []);
        expect(meta.labels).toEqual({
          ...labels,
          [LABEL_MANAGED]: 'true',
          ...(owned ? { [LABEL_CREATED_BY]: SEED_CREATED_BY } : {}),
        });
        expect(meta.annotations[ANNOTATION_DATA_HASH]).toBe(
          computeDataHash(result.desired!.data),
        );
      },
    );

    it('should explain that Merge waits for someone else to create the Secret', () => {
      const parsed = parsedExternalSecret({
        target: { creationPolicy: 'Merge' },
        data: [{ secretKey: 'a', remoteRef: { key: 'K' } }],
      });
      const result = reconcileExternalSecret({
        parsed,
        reads: new Map([['data[0]', readOk('v')]]),
        now: NOW,
      });
      expect(result.condition).toMatchObject({
        status: 'True',
        reason: 'SecretMissing',
        message: 'secret will not be created due to CreationPolicy=Merge',
      });
      expect(result.desired).toBeUndefined();
    });

    it('should drop our ownerReference and created-by label when the policy moves from Owner to Orphan', () => {
      const parsed = parsedExternalSecret({
        target: { creationPolicy: 'Orphan' },
        data: [{ secretKey: 'a', remoteRef: { key: 'K' } }],
      });
      const current = currentSecret(
        { a: 'v' },
        {
          ownerReferences: [OUR_REF],
          labels: {
            [LABEL_CREATED_BY]: SEED_CREATED_BY,
            [LABEL_MANAGED]: 'true',
          },
        },
      );
      const result = reconcileExternalSecret({
        parsed,
        reads: new Map([['data[0]', readOk('v')]]),
        current,
        now: NOW,
      });
      expect(result.action).toBe('update');
      expect(result.desired?.metadata.ownerReferences).toEqual([]);
      expect(result.desired?.metadata.labels).toEqual({
        [LABEL_MANAGED]: 'true',
      });
    });

    it("should copy the ExternalSecret's labels and annotations onto the Secret when there is no template, as ESO does", () => {
      const parsed = parsedExternalSecret({
        labels: { app: 'web' },
        annotations: { 'force-sync': '17' },
        data: [{ secretKey: 'a', remoteRef: { key: 'K' } }],
      });
      const result = reconcileExternalSecret({
        parsed,
        reads: new Map([['data[0]', readOk('v')]]),
        now: NOW,
      });
      expect(result.desired?.metadata.labels).toMatchObject({ app: 'web' });
      expect(result.desired?.metadata.annotations).toMatchObject({
        'force-sync': '17',
      });
    });

    it('should refuse creationPolicy Owner for a manifest without metadata.uid, naming the field', () => {
      const parsed = parsedExternalSecret({
        uid: null,
        data: [{ secretKey: 'a', remoteRef: { key: 'K' } }],
      });
      const result = reconcileExternalSecret({
        parsed,
        reads: new Map([['data[0]', readOk('v')]]),
        now: NOW,
      });
      expect(result.action).toBe('none');
      expect(result.condition.message).toContain('no metadata.uid');
    });
  });

  describe('ownership', () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'a', remoteRef: { key: 'K' } }],
    });
    const reads = new Map([['data[0]', readOk('v')]]);

    it.each([
      [
        'another ExternalSecret',
        {
          apiVersion: 'external-secrets.io/v1beta1',
          kind: 'ExternalSecret',
          name: 'other-es',
          uid: 'u2',
          controller: true,
        },
        'ExternalSecret other-es',
      ],
      [
        'another controller',
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: 'u3',
          controller: true,
        },
        'Deployment web',
      ],
    ])(
      'should refuse a Secret controlled by %s, naming it',
      (_name, owner, named) => {
        const current = currentSecret(
          { a: 'theirs' },
          { ownerReferences: [owner] },
        );
        for (const creationPolicy of [
          'Owner',
          'Orphan',
          'Merge',
          'CreateOrMerge',
        ] as const) {
          const result = reconcileExternalSecret({
            parsed: parsedExternalSecret({
              target: { creationPolicy },
              data: [{ secretKey: 'a', remoteRef: { key: 'K' } }],
            }),
            reads,
            current,
            now: NOW,
          });
          expect(result.action).toBe('refuse');
          expect(result.desired).toBeUndefined();
          expect(result.condition).toMatchObject({
            status: 'False',
            reason: 'SecretSyncedError',
          });
          expect(result.condition.message).toContain(
            `Secret my-namespace/my-secret is controlled by ${named}`,
          );
        }
      },
    );

    it('should keep non-controller ownerReferences and add ours', () => {
      const other = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'anchor',
        uid: 'u9',
      };
      const result = reconcileExternalSecret({
        parsed,
        reads,
        current: currentSecret({ a: 'v' }, { ownerReferences: [other] }),
        now: NOW,
      });
      expect(result.action).toBe('update');
      expect(result.desired?.metadata.ownerReferences).toEqual([
        other,
        OUR_REF,
      ]);
    });

    it('should take back a Secret controlled by an earlier ExternalSecret of the same name (new uid)', () => {
      const stale = { ...OUR_REF, uid: 'old-uid' };
      const result = reconcileExternalSecret({
        parsed,
        reads,
        current: currentSecret({ a: 'v' }, { ownerReferences: [stale] }),
        now: NOW,
      });
      expect(result.action).toBe('update');
      expect(result.desired?.metadata.ownerReferences).toEqual([OUR_REF]);
    });

    it('should not refuse with creationPolicy None, which writes nothing', () => {
      const current = currentSecret(
        { a: 'theirs' },
        {
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'web',
              uid: 'u3',
              controller: true,
            },
          ],
        },
      );
      const result = reconcileExternalSecret({
        parsed: parsedExternalSecret({
          target: { creationPolicy: 'None' },
          data: [{ secretKey: 'a', remoteRef: { key: 'K' } }],
        }),
        reads,
        current,
        now: NOW,
      });
      expect(result.action).toBe('none');
    });
  });
});
