import { staggeredInitialDelay } from './ReconcileTask';

// Backstage's scheduler (TaskStatePoller) finds every due task of a replica in
// one poll: clusters due at one moment all went to the replica that polled
// first. Their first runs are spread over one work check (5 s) instead.
describe('staggeredInitialDelay', () => {
  const delays = (count: number, cadenceMs?: number, base = {}) =>
    Array.from({ length: count }, (_, i) =>
      staggeredInitialDelay(base, cadenceMs, i, count),
    );

  it('should spread four clusters over one work check after the configured delay', () => {
    expect(delays(4, 60_000, { seconds: 10 })).toEqual([
      { milliseconds: 10_000 },
      { milliseconds: 11_250 },
      { milliseconds: 12_500 },
      { milliseconds: 13_750 },
    ]);
  });

  it('should spread them over the cadence when it is shorter than a work check (held clusters, due every 2 s)', () => {
    expect(delays(4, 2_000)).toEqual([
      undefined,
      { milliseconds: 500 },
      { milliseconds: 1_000 },
      { milliseconds: 1_500 },
    ]);
  });

  it('should leave a single cluster at the configured delay', () => {
    expect(delays(1, 60_000, { minutes: 1 })).toEqual([
      { milliseconds: 60_000 },
    ]);
    expect(delays(1, 60_000)).toEqual([undefined]);
  });
});
