import {
  computeDataHash,
  KeyStatus,
  ReconcileResult,
  SecretValue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { withoutStaleDataKeys } from './staleDataKeys';
import { TargetSecret } from './SecretWriter';

/**
 * ESO's mutationFunc (pkg/controllers/externalsecret/externalsecret_controller.go)
 * deletes the data keys its ExternalSecret's field manager owns
 * (getManagedDataKeys) before it applies the template: with creationPolicy
 * Merge or CreateOrMerge, which keep the Secret's other keys, a key the
 * ExternalSecret wrote and no longer produces goes; keys others wrote stay.
 */
const text = (s: string) => SecretValue.fromString(s);
const managed = { labels: [], annotations: [], data: ['password', 'extra'] };

function current(): TargetSecret {
  return {
    metadata: { name: 'shared', namespace: 'payments', resourceVersion: '3' },
    type: 'Opaque',
    data: { password: text('pw'), extra: text('old'), other: text('kept') },
  };
}

function result(keys: KeyStatus[]): ReconcileResult {
  const data = current().data;
  const dataHash = computeDataHash(data);
  return {
    action: 'none',
    desired: {
      metadata: {
        name: 'shared',
        namespace: 'payments',
        labels: {},
        annotations: { 'reconcile.external-secrets.io/data-hash': dataHash },
      },
      type: 'Opaque',
      immutable: false,
      data,
    },
    dataHash,
    keys,
    condition: {
      type: 'Ready',
      status: 'True',
      reason: 'SecretSynced',
      message: 'secret synced',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    },
    changedKeys: [],
    removedKeys: [],
  };
}

const synced: KeyStatus = {
  secretKey: 'password',
  source: 'data[0]',
  state: 'synced',
  reason: 'Synced',
};

describe('withoutStaleDataKeys', () => {
  it('should remove a key the ExternalSecret wrote and no longer produces, keeping the keys others wrote', () => {
    const out = withoutStaleDataKeys(
      result([synced]),
      current(),
      managed,
      'Merge',
    );
    expect(out.action).toBe('update');
    expect(Object.keys(out.desired!.data).sort()).toEqual([
      'other',
      'password',
    ]);
    expect(out.removedKeys).toEqual(['extra']);
    expect(out.dataHash).toBe(computeDataHash(out.desired!.data));
    expect(
      out.desired!.metadata.annotations[
        'reconcile.external-secrets.io/data-hash'
      ],
    ).toBe(out.dataHash);
  });

  it('should remove nothing while an entry failed: an error is no evidence of what it produces', () => {
    const failed: KeyStatus = {
      source: 'dataFrom[0]',
      state: 'error',
      reason: 'ProviderError',
    };
    const out = withoutStaleDataKeys(
      result([synced, failed]),
      current(),
      managed,
      'Merge',
    );
    expect(out.action).toBe('none');
    expect(Object.keys(out.desired!.data)).toContain('extra');
  });

  it('should leave Owner and Orphan Secrets to the core, which rebuilds their data', () => {
    const before = result([synced]);
    expect(withoutStaleDataKeys(before, current(), managed, 'Owner')).toBe(
      before,
    );
  });
});
