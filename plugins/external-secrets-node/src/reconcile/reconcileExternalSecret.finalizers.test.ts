import { parsedExternalSecret } from '../testUtils/parsedExternalSecret';
import { readOk } from '../testUtils/reads';
import { NOW } from '../testUtils/syncWithFake';
import { reconcileExternalSecret } from './reconcileExternalSecret';
import type { CurrentSecret } from './types';

const READS = new Map([['data[0]', readOk('pw')]]);

function reconcile(current?: CurrentSecret) {
  const parsed = parsedExternalSecret({
    data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
    target: {
      creationPolicy: 'Orphan',
      template: {
        metadata: { finalizers: ['example.com/keep'] },
        data: { password: '{{ .password }}' },
      },
    },
  });
  return reconcileExternalSecret({ parsed, reads: READS, current, now: NOW });
}

// ESO pkg/controllers/externalsecret/externalsecret_controller_template.go,
// setMetadata: the template's finalizers are added (controllerutil.AddFinalizer)
// unless the Secret is being deleted; finalizers already on the Secret stay.
describe('reconcileExternalSecret template.metadata.finalizers', () => {
  it('should add the template finalizers to a new Secret', () => {
    const result = reconcile();
    expect(result.action).toBe('create');
    expect(result.desired?.metadata.finalizers).toEqual(['example.com/keep']);
  });

  it('should keep the finalizers others put on the Secret, and write nothing once they are all there', () => {
    const created = reconcile().desired!;
    const current: CurrentSecret = {
      ...created,
      metadata: {
        ...created.metadata,
        finalizers: ['other.io/guard', 'example.com/keep'],
      },
    };
    const result = reconcile(current);
    expect(result.action).toBe('none');
    const missing = reconcile({
      ...current,
      metadata: { ...current.metadata, finalizers: ['other.io/guard'] },
    });
    expect(missing.action).toBe('update');
    expect(missing.desired?.metadata.finalizers).toEqual([
      'other.io/guard',
      'example.com/keep',
    ]);
  });

  it('should add none to a Secret being deleted', () => {
    const created = reconcile().desired!;
    const result = reconcile({
      ...created,
      metadata: {
        ...created.metadata,
        finalizers: ['other.io/guard'],
        deletionTimestamp: '2026-01-01T00:00:00Z',
      },
    });
    expect(result.desired?.metadata.finalizers).toEqual(['other.io/guard']);
  });
});
