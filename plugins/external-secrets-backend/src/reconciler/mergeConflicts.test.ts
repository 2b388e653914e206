import { ExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  computeDataHash,
  ReconcileResult,
  SecretValue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { externalSecretFieldManager } from '../kubernetes/externalSecretFieldManager';
import { MergeClaims, MergeWriter } from './mergeConflicts';
import { TargetSecret } from './SecretWriter';

/**
 * Two creationPolicy Merge ExternalSecrets producing one key of a Secret: the
 * one created first keeps it, durably. Who wrote a key is read from the
 * Secret's managedFields, per ExternalSecret field manager, as ESO reads it
 * (getManagedDataKeys, pkg/controllers/externalsecret/externalsecret_controller.go),
 * so a restarted process or another replica, with nothing in memory, never
 * hands the key to the newer writer, even once.
 */
const TARGET = 'prod/payments/shared';
const A_FIRST: MergeWriter = {
  name: 'a-first',
  created: '2026-01-01T00:00:00Z',
};
const B_SECOND: MergeWriter = {
  name: 'b-second',
  created: '2026-01-02T00:00:00Z',
};

const text = (s: string) => SecretValue.fromString(s);

function merging(writer: MergeWriter): ExternalSecret {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: writer.name, namespace: 'payments' },
    spec: {
      target: { name: 'shared', creationPolicy: 'Merge' },
      data: [{ secretKey: 'password', remoteRef: { key: 'PASSWORD' } }],
    },
  } as ExternalSecret;
}

/** The shared Secret as a-first left it: `password` written by `owner`. */
function currentSecret(owner: string | undefined): TargetSecret {
  const data = { password: text('from-a'), other: text('kept') };
  return {
    metadata: {
      name: 'shared',
      namespace: 'payments',
      resourceVersion: '7',
      labels: { 'reconcile.external-secrets.io/managed': 'true' },
      annotations: {
        'reconcile.external-secrets.io/data-hash': computeDataHash(data),
      },
    },
    type: 'Opaque',
    immutable: false,
    data,
    ...(owner && {
      managedKeys: {
        [externalSecretFieldManager(owner)]: {
          labels: [],
          annotations: [],
          data: ['password'],
        },
      },
    }),
  };
}

/** What the core decides for a Merge writer producing `password=value`. */
function produced(current: TargetSecret, value: string): ReconcileResult {
  const data = { ...current.data, password: text(value) };
  const dataHash = computeDataHash(data);
  return {
    action: 'update',
    desired: {
      metadata: {
        name: 'shared',
        namespace: 'payments',
        labels: { 'reconcile.external-secrets.io/managed': 'true' },
        annotations: { 'reconcile.external-secrets.io/data-hash': dataHash },
      },
      type: 'Opaque',
      immutable: false,
      data,
    },
    dataHash,
    keys: [
      {
        secretKey: 'password',
        source: 'data[0]',
        remoteKey: 'PASSWORD',
        state: 'synced',
        reason: 'Synced',
      },
    ],
    condition: {
      type: 'Ready',
      status: 'True',
      reason: 'SecretSynced',
      message: 'secret synced',
      lastTransitionTime: '2026-01-03T00:00:00Z',
    },
    changedKeys: ['password'],
    removedKeys: [],
  };
}

describe('MergeClaims', () => {
  it("should keep the older writer's key when a fresh process meets the newer writer first", () => {
    const current = currentSecret(A_FIRST.name);
    const result = new MergeClaims().resolve({
      target: TARGET,
      es: merging(B_SECOND),
      created: B_SECOND.created,
      result: produced(current, 'from-b'),
      current,
      coWriters: [A_FIRST],
    });

    expect(result.desired?.data.password.text()).toBe('from-a');
    expect(result.changedKeys).toEqual([]);
    // Nothing else changed: the Secret is not written at all.
    expect(result.action).toBe('none');
    expect(result.keys[0]).toMatchObject({
      state: 'error',
      reason: 'DuplicateKey',
      message: expect.stringContaining(
        'ExternalSecret a-first was created first and keeps it',
      ),
    });
  });

  it('should take over a key whose writer no longer writes this Secret', () => {
    // a-first wrote the key, then was deleted (or retargeted): it is not listed.
    const current = currentSecret(A_FIRST.name);
    const result = new MergeClaims().resolve({
      target: TARGET,
      es: merging(B_SECOND),
      created: B_SECOND.created,
      result: produced(current, 'from-b'),
      current,
      coWriters: [],
    });

    expect(result.desired?.data.password.text()).toBe('from-b');
    expect(result.action).toBe('update');
    expect(result.keys[0]).toMatchObject({ state: 'synced' });
  });

  it('should keep writing the older writer and name the newer one once both were seen', () => {
    const claims = new MergeClaims();
    const current = currentSecret(A_FIRST.name);
    claims.resolve({
      target: TARGET,
      es: merging(B_SECOND),
      created: B_SECOND.created,
      result: produced(current, 'from-b'),
      current,
      coWriters: [A_FIRST],
    });
    expect(claims.takeNotice('prod/payments/a-first')).toBe(true);

    const result = claims.resolve({
      target: TARGET,
      es: merging(A_FIRST),
      created: A_FIRST.created,
      result: produced(current, 'from-a2'),
      current,
      coWriters: [B_SECOND],
    });
    expect(result.desired?.data.password.text()).toBe('from-a2');
    expect(result.keys[0]).toMatchObject({
      state: 'synced',
      message: expect.stringContaining(
        'also produced by ExternalSecret b-second',
      ),
    });
  });

  it('should forget a writer that stopped producing the key, so the other one takes it', () => {
    const claims = new MergeClaims();
    const current = currentSecret(undefined);
    const resolveB = () =>
      claims.resolve({
        target: TARGET,
        es: merging(B_SECOND),
        created: B_SECOND.created,
        result: produced(current, 'from-b'),
        current,
        coWriters: [A_FIRST],
      });
    claims.resolve({
      target: TARGET,
      es: merging(A_FIRST),
      created: A_FIRST.created,
      result: produced(current, 'from-a'),
      current,
      coWriters: [B_SECOND],
    });
    expect(resolveB().desired?.data.password.text()).toBe('from-a');

    // a-first's spec no longer has the key: it produces nothing now.
    claims.resolve({
      target: TARGET,
      es: merging(A_FIRST),
      created: A_FIRST.created,
      result: { ...produced(current, 'from-a'), keys: [] },
      current,
      coWriters: [B_SECOND],
    });
    const result = resolveB();
    expect(result.desired?.data.password.text()).toBe('from-b');
    expect(result.keys[0]).toMatchObject({ state: 'synced' });
  });
});
