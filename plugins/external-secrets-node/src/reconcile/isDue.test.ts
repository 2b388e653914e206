import {
  ANNOTATION_DATA_HASH,
  LABEL_MANAGED,
  type CreationPolicy,
  type RefreshPolicy,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SecretValue } from '../values/SecretValue';
import { parsedExternalSecret } from '../testUtils/parsedExternalSecret';
import { computeDataHash } from './computeDataHash';
import { isDue } from './isDue';
import { syncedResourceVersion } from './syncedResourceVersion';
import type { CurrentSecret } from './types';

const NOW = new Date('2026-11-23T10:00:00Z');
const minutesAgo = (m: number) =>
  new Date(NOW.getTime() - m * 60_000).toISOString();

function healthySecret(): CurrentSecret {
  const data = { 'api-key': SecretValue.fromString('v') };
  return {
    metadata: {
      name: 'my-secret',
      namespace: 'my-namespace',
      labels: { [LABEL_MANAGED]: 'true' },
      annotations: { [ANNOTATION_DATA_HASH]: computeDataHash(data) },
    },
    data,
  };
}

type Case = {
  name: string;
  refreshPolicy?: RefreshPolicy;
  refreshInterval?: string;
  creationPolicy?: CreationPolicy;
  syncedMinutesAgo?: number;
  /** Change the ExternalSecret after the last sync. */
  annotateAfterSync?: Record<string, string>;
  target?: 'healthy' | 'missing' | 'edited' | 'unmanaged';
  neverSynced?: boolean;
  due: boolean;
  reason: string;
};

const cases: Case[] = [
  {
    name: 'never synced',
    neverSynced: true,
    due: true,
    reason: 'never-synced',
  },
  {
    name: 'synced 10 minutes ago with a 1h interval',
    syncedMinutesAgo: 10,
    due: false,
    reason: 'not-yet',
  },
  {
    name: 'synced exactly one interval ago',
    syncedMinutesAgo: 60,
    due: true,
    reason: 'interval-elapsed',
  },
  {
    name: 'synced 2 hours ago',
    syncedMinutesAgo: 120,
    due: true,
    reason: 'interval-elapsed',
  },
  {
    name: 'refresh time in the future (clock skew)',
    syncedMinutesAgo: -5,
    due: true,
    reason: 'refresh-time-in-future',
  },
  {
    name: 'force-sync annotated after the last sync',
    syncedMinutesAgo: 1,
    annotateAfterSync: { 'force-sync': '1700000000' },
    due: true,
    reason: 'spec-changed',
  },
  {
    name: 'interval 0 after one sync',
    refreshInterval: '0',
    syncedMinutesAgo: 600,
    due: false,
    reason: 'synced-once',
  },
  // ESO's shouldRefreshPeriodic (externalsecret_controller.go): interval <= 0
  // and synced once is never refreshed, not even on a spec or annotation change.
  {
    name: 'interval 0 with force-sync',
    refreshInterval: '0',
    syncedMinutesAgo: 600,
    annotateAfterSync: { 'force-sync': '1' },
    due: false,
    reason: 'synced-once',
  },
  {
    name: 'interval 0 whose spec changed after the sync',
    refreshInterval: '0',
    syncedMinutesAgo: 600,
    annotateAfterSync: { note: 'x' },
    due: false,
    reason: 'synced-once',
  },
  // ESO's isSecretValid: "Secret is always valid with CreationPolicy=Orphan".
  {
    name: 'creationPolicy Orphan whose Secret was deleted',
    creationPolicy: 'Orphan',
    syncedMinutesAgo: 10,
    target: 'missing',
    due: false,
    reason: 'not-yet',
  },
  {
    name: 'creationPolicy Orphan whose Secret data was edited by hand',
    creationPolicy: 'Orphan',
    syncedMinutesAgo: 10,
    target: 'edited',
    due: false,
    reason: 'not-yet',
  },
  {
    name: 'interval 0 whose Owner Secret was deleted',
    refreshInterval: '0',
    syncedMinutesAgo: 600,
    target: 'missing',
    due: true,
    reason: 'target-missing',
  },
  {
    name: 'interval 0 whose Secret data was edited by hand',
    refreshInterval: '0',
    syncedMinutesAgo: 600,
    target: 'edited',
    due: true,
    reason: 'target-drifted',
  },
  {
    name: 'a Secret that lost its managed label',
    syncedMinutesAgo: 1,
    target: 'unmanaged',
    due: true,
    reason: 'target-drifted',
  },
  {
    name: 'OnChange without changes',
    refreshPolicy: 'OnChange',
    syncedMinutesAgo: 600,
    due: false,
    reason: 'unchanged',
  },
  {
    name: 'OnChange after a label change',
    refreshPolicy: 'OnChange',
    syncedMinutesAgo: 600,
    annotateAfterSync: { note: 'x' },
    due: true,
    reason: 'spec-changed',
  },
  {
    name: 'CreatedOnce after a sync, even with force-sync',
    refreshPolicy: 'CreatedOnce',
    syncedMinutesAgo: 600,
    annotateAfterSync: { 'force-sync': '1' },
    due: false,
    reason: 'synced-once',
  },
  {
    name: 'CreatedOnce whose Secret was deleted',
    refreshPolicy: 'CreatedOnce',
    syncedMinutesAgo: 600,
    target: 'missing',
    due: true,
    reason: 'target-missing',
  },
  {
    name: 'creationPolicy Merge whose target does not exist yet',
    creationPolicy: 'Merge',
    syncedMinutesAgo: 10,
    target: 'missing',
    due: false,
    reason: 'not-yet',
  },
  {
    name: 'creationPolicy None without a Secret',
    creationPolicy: 'None',
    syncedMinutesAgo: 10,
    target: 'missing',
    due: false,
    reason: 'not-yet',
  },
];

describe('isDue', () => {
  it.each(cases)('should answer due=$due ($reason) when $name', c => {
    const base = parsedExternalSecret({
      refreshPolicy: c.refreshPolicy,
      refreshInterval: c.refreshInterval,
      target: { creationPolicy: c.creationPolicy },
    }).externalSecret;
    const status = c.neverSynced
      ? {}
      : {
          refreshTime: minutesAgo(c.syncedMinutesAgo ?? 0),
          syncedResourceVersion: syncedResourceVersion(base),
        };
    const externalSecret = c.annotateAfterSync
      ? {
          ...base,
          metadata: { ...base.metadata, annotations: c.annotateAfterSync },
        }
      : base;
    const healthy = healthySecret();
    const targets: Record<string, CurrentSecret | undefined> = {
      healthy,
      missing: undefined,
      edited: {
        ...healthy,
        data: { 'api-key': SecretValue.fromString('edited') },
      },
      unmanaged: { ...healthy, metadata: { ...healthy.metadata, labels: {} } },
    };
    const targetSecret = targets[c.target ?? 'healthy'];

    const decision = isDue({ externalSecret, status, now: NOW, targetSecret });

    expect(decision).toMatchObject({ due: c.due, reason: c.reason });
  });

  it('should say when a periodic ExternalSecret becomes due next', () => {
    const { externalSecret } = parsedExternalSecret();
    const status = {
      refreshTime: minutesAgo(15),
      syncedResourceVersion: syncedResourceVersion(externalSecret),
    };
    const decision = isDue({
      externalSecret,
      status,
      now: NOW,
      targetSecret: healthySecret(),
    });
    expect(decision.nextDueAt?.toISOString()).toBe('2026-11-23T10:45:00.000Z');
  });

  it('should name the field when refreshInterval is not a Go duration', () => {
    const { externalSecret } = parsedExternalSecret({
      refreshInterval: '1 day',
    });
    const decision = isDue({
      externalSecret,
      now: NOW,
      targetSecret: undefined,
    });
    expect(decision).toMatchObject({
      due: false,
      reason: 'invalid-refresh-interval',
    });
    expect(decision.message).toContain('spec.refreshInterval "1 day"');
  });
});
