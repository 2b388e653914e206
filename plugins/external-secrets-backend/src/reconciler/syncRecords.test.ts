import type {
  KeyStatus,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { ExternalSecretRecord } from '../database/StatusStore';
import { eventsFor } from './syncRecords';
import type { WorkItem } from './WorkItem';

const NOW = new Date('2026-11-23T10:00:00Z');
const item = {
  entityRef: 'component:default/orders',
  inventory: { config: { name: 'prod' } },
  namespace: 'orders',
  name: 'db',
} as unknown as WorkItem;
const record = {
  state: 'Synced',
  targetSecret: 'db',
  lastAttemptAt: NOW,
} as unknown as ExternalSecretRecord;

function result(action: 'create' | 'update', keys: KeyStatus[]) {
  return {
    action,
    keys,
    changedKeys: ['password', 'username'],
    removedKeys: [],
    condition: {
      type: 'Ready',
      status: 'True',
      reason: 'SecretSynced',
      message: 'secret synced',
      lastTransitionTime: NOW.toISOString(),
    },
  } as ReconcileResult;
}

const OVERRIDDEN: KeyStatus = {
  secretKey: 'password',
  source: 'dataFrom[1]',
  state: 'synced',
  reason: 'Overridden',
  message: 'key "password" of dataFrom[1] is overridden by data[0]',
};
const WINNER: KeyStatus = {
  secretKey: 'password',
  source: 'data[0]',
  state: 'synced',
  reason: 'Synced',
};

// ESO applies data over dataFrom (getProviderSecretData); issue #17 item 11
// asks that the sync event say which entry won, so a changed value is explained.
describe('eventsFor key precedence', () => {
  it.each(['create', 'update'] as const)(
    'should name the overriding entry in the %s event',
    action => {
      const [event] = eventsFor(
        item,
        result(action, [OVERRIDDEN, WINNER]),
        record,
        undefined,
        undefined,
      );
      expect(event.message).toMatch(/^(created|updated) Secret orders\/db/);
      expect(event.message).toContain(
        'data[0] overrides dataFrom[1] for key "password"',
      );
    },
  );

  it('should say nothing of precedence when no key is overridden', () => {
    const [event] = eventsFor(
      item,
      result('update', [WINNER]),
      record,
      undefined,
      undefined,
    );
    expect(event.message).toBe('updated Secret orders/db');
  });
});
