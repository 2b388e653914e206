import { consumerVerdict } from './consumerVerdict';
import { PodStart } from './types';

const CHANGE = new Date('2026-12-06T14:02:00Z');
const before = (name: string): PodStart => ({
  name,
  startTime: '2026-12-06T13:00:00Z',
  phase: 'Running',
});
const after = (name: string): PodStart => ({
  name,
  startTime: '2026-12-06T14:05:00Z',
  phase: 'Running',
});

describe('consumerVerdict', () => {
  it('restart needed: 3 of 3 pods started before the change', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [before('a'), before('b'), before('c')],
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'restart-needed', pods: 3, stalePods: 3 });
  });

  it('counts only the stale ones when some pods already restarted', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [before('a'), after('b')],
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'restart-needed', pods: 2, stalePods: 1 });
  });

  it('current when every pod started after the change', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [after('a'), after('b')],
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'current', pods: 2, stalePods: 0 });
  });

  it('a pod started exactly at the change read the new value', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [
          { name: 'a', startTime: CHANGE.toISOString(), phase: 'Running' },
        ],
        dataChangedAt: CHANGE,
      }).state,
    ).toBe('current');
  });

  it('restarting once a restart for this change was requested and pods still roll', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [before('a'), after('b')],
        dataChangedAt: CHANGE,
        restartRequestedForChange: true,
      }),
    ).toEqual({ state: 'restarting', pods: 2, stalePods: 1 });
  });

  it('OnDelete update strategy: a patched template rolls nothing, the pods must be deleted (restart needed, never restarting)', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [before('a'), before('b')],
        dataChangedAt: CHANGE,
        restartRequestedForChange: true,
        onDelete: true,
      }),
    ).toEqual({ state: 'restart-needed', pods: 2, stalePods: 2 });
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [after('a')],
        dataChangedAt: CHANGE,
        restartRequestedForChange: true,
        onDelete: true,
      }).state,
    ).toBe('current');
  });

  it('a requested restart that finished is current', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [after('a')],
        dataChangedAt: CHANGE,
        restartRequestedForChange: true,
      }).state,
    ).toBe('current');
  });

  it('no change on record: running pods are current', () => {
    expect(
      consumerVerdict({ updates: 'restart', pods: [before('a')] }),
    ).toEqual({ state: 'current', pods: 1, stalePods: 0 });
  });

  it('pending pods (no start time yet) will read the current value', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [{ name: 'a', phase: 'Pending' }],
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'current', pods: 1, stalePods: 0 });
  });

  it('an unparseable start time is not taken as stale', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [{ name: 'a', startTime: 'yesterday', phase: 'Running' }],
        dataChangedAt: CHANGE,
      }).stalePods,
    ).toBe(0);
  });

  it.each([
    ['Succeeded', { phase: 'Succeeded' }],
    ['Failed', { phase: 'Failed' }],
    ['being deleted', { deleting: true }],
  ])('ignores %s pods', (_name, extra) => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [{ ...before('old'), ...extra }, after('new')],
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'current', pods: 1, stalePods: 0 });
  });

  it('no running pods', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: [{ ...before('a'), phase: 'Succeeded' }],
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'no-pods', pods: 0, stalePods: 0 });
    expect(
      consumerVerdict({ updates: 'in-place', pods: [], dataChangedAt: CHANGE })
        .state,
    ).toBe('no-pods');
  });

  it('unknown when the pods could not be listed', () => {
    expect(
      consumerVerdict({
        updates: 'restart',
        pods: undefined,
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'unknown', pods: 0, stalePods: 0 });
  });

  it('a volume consumer updates in place, however old its pods, and says how many predate the change', () => {
    expect(
      consumerVerdict({
        updates: 'in-place',
        pods: [before('a'), after('b')],
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'updates-in-place', pods: 2, stalePods: 1 });
  });

  it('a CronJob: its next run reads the new value (no pods listed)', () => {
    expect(
      consumerVerdict({
        updates: 'next-run',
        pods: undefined,
        dataChangedAt: CHANGE,
      }),
    ).toEqual({ state: 'next-run', pods: 0, stalePods: 0 });
  });
});
