import { ClusterError } from '../kubernetes/ClusterError';
import {
  describePending,
  FORBIDDEN_RETRY_MS,
  pendingAfterFailure,
  retryDue,
} from './pendingRestart';

const CHANGE = {
  hash: 'h2',
  previousHash: 'h1',
  changedKeys: ['password'],
  secretAnnotations: {},
};
const AT = new Date('2026-12-06T14:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

function clusterError(status: 403 | 500) {
  return new ClusterError(
    status === 403 ? 'FORBIDDEN' : 'SERVER_ERROR',
    `patch deployments.apps "web" failed with HTTP ${status}`,
    {
      cluster: 'test',
      verb: 'patch',
      group: 'apps',
      resource: 'deployments',
      path: '/apis/apps/v1/namespaces/payments/deployments/web',
      httpStatus: status,
    },
  );
}

describe('pending restart', () => {
  it('a server error is retried at the very next cycle', () => {
    const pending = pendingAfterFailure(CHANGE, 1, clusterError(500), AT);
    expect(pending).toMatchObject({ attempts: 1, forbidden: false });
    expect(retryDue(pending, later(1))).toBe(true);
    expect(describePending('Deployment payments/web', pending)).toContain(
      'retried at the next cycle',
    );
  });

  it('a 403 waits 10 minutes before its next try, then is retried', () => {
    const pending = pendingAfterFailure(CHANGE, 3, clusterError(403), AT);
    expect(pending).toMatchObject({ attempts: 3, forbidden: true });
    expect(retryDue(pending, later(FORBIDDEN_RETRY_MS - 1))).toBe(false);
    expect(retryDue(pending, later(FORBIDDEN_RETRY_MS))).toBe(true);
    expect(describePending('Deployment payments/web', pending)).toMatch(
      /\(attempt 3\).*retried every 10 minutes/,
    );
  });
});
