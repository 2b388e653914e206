import fc from 'fast-check';
import { formatGoDuration, formatGoDurationNanos } from './formatGoDuration';
import { parseGoDuration } from './parseGoDuration';

// Expected strings are Go 1.26's time.Duration.String() for the same duration.
describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [0.000001, '1ns'],
    [0.000999, '999ns'],
    [0.001, '1\u00b5s'],
    [0.0015, '1.5\u00b5s'],
    [0.999999, '999.999\u00b5s'],
    [1, '1ms'],
    [1.5, '1.5ms'],
    [500, '500ms'],
    [999.999999, '999.999999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [1_000.000001, '1.000000001s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [5_400_000, '1h30m0s'],
    [86_400_000, '24h0m0s'],
    [3_723_004.005006, '1h2m3.004005006s'],
    [-0.000001, '-1ns'],
    [-1.5, '-1.5ms'],
    [-3_600_000, '-1h0m0s'],
  ])('should format %d ms as %j', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it.each([
    [9223372036854775807n, '2562047h47m16.854775807s'],
    [-9223372036854775808n, '-2562047h47m16.854775808s'],
    [2n ** 70n, '2562047h47m16.854775807s'],
  ])(
    'should format %d ns at (or clamped to) the int64 edge as %j',
    (ns, text) => {
      expect(formatGoDurationNanos(ns)).toBe(text);
    },
  );

  it('should refuse NaN with a RangeError naming the value', () => {
    expect(() => formatGoDuration(NaN)).toThrow(
      'formatGoDuration: expected a finite number of milliseconds, got NaN',
    );
  });

  it('should round-trip whole milliseconds through parseGoDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), ms => {
        expect(parseGoDuration(formatGoDuration(ms))).toBe(ms);
      }),
    );
  });
});
