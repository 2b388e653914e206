import type { SecretConsumerDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  describeReads,
  describeVerdict,
  formatChangeTime,
} from './describeConsumer';

const consumer = (over: Partial<SecretConsumerDto>): SecretConsumerDto => ({
  kind: 'Deployment',
  name: 'web',
  reads: ['env'],
  containers: ['app'],
  updates: 'restart',
  verdict: 'current',
  pods: 3,
  stalePods: 0,
  paused: false,
  ...over,
});

describe('describeVerdict', () => {
  const changed = new Date(2026, 11, 6, 14, 2).toISOString();
  const now = new Date(2026, 11, 6, 15, 0);

  it('restart needed: 3 of 3 pods run the value from before 14:02', () => {
    expect(
      describeVerdict(
        consumer({ verdict: 'restart-needed', stalePods: 3 }),
        changed,
        now,
      ),
    ).toBe('restart needed: 3 of 3 pods run the value from before 14:02');
  });

  it('OnDelete update strategy: says to delete the pods, even after the template was patched', () => {
    expect(
      describeVerdict(
        consumer({
          kind: 'StatefulSet',
          verdict: 'restart-needed',
          stalePods: 2,
          pods: 2,
          updateStrategy: 'OnDelete',
          lastRestart: { at: changed, by: 'on-change' },
        }),
        changed,
        now,
      ),
    ).toBe(
      'restart needed: delete the pods (OnDelete update strategy): 2 of 2 pods run the value from before 14:02',
    );
  });

  it('says a paused Deployment is never restarted automatically', () => {
    expect(
      describeVerdict(
        consumer({
          verdict: 'restart-needed',
          stalePods: 1,
          pods: 1,
          paused: true,
        }),
        changed,
        now,
      ),
    ).toBe(
      'restart needed: 1 of 1 pod run the value from before 14:02 (paused: never restarted automatically)',
    );
  });

  it.each([
    [
      'restarting',
      'restarting: 1 of 3 pods still run the value from before 14:02',
    ],
    ['current', 'current: all 3 pods run the current value'],
    [
      'updates-in-place',
      'updates in place: the kubelet refreshes the mounted files within about a minute',
    ],
    ['next-run', 'next run reads the new value'],
    ['no-pods', 'no running pods'],
    ['unknown', 'unknown: its pods could not be listed'],
  ] as const)('%s', (verdict, text) => {
    expect(
      describeVerdict(consumer({ verdict, stalePods: 1 }), changed, now),
    ).toBe(text);
  });

  it('a change on another day carries the date', () => {
    expect(formatChangeTime(changed, new Date(2026, 11, 7, 9, 0))).toBe(
      'Dec 6, 14:02',
    );
  });

  it('without a recorded change it does not invent a time', () => {
    expect(
      describeVerdict(
        consumer({ verdict: 'restart-needed', stalePods: 2 }),
        undefined,
      ),
    ).toBe('restart needed: 2 of 3 pods run the value');
  });

  it('describeReads', () => {
    expect(
      describeReads(consumer({ reads: ['env', 'volume', 'subPath'] })),
    ).toBe('env var, volume, subPath');
  });
});
