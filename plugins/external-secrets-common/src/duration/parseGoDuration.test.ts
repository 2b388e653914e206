import { parseGoDuration, parseGoDurationNanos } from './parseGoDuration';

// Expected values are Go 1.26's time.ParseDuration results for the same text.
describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['+0', 0],
    ['-0', 0],
    ['0s', 0],
    ['0h0m0s', 0],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90m', 5_400_000],
    ['1h0m0s', 3_600_000],
    ['2h45m30.5s', 9_930_500],
    ['500ms', 500],
    ['1us', 0.001],
    ['1\u00b5s', 0.001],
    ['1\u03bcs', 0.001],
    ['3ns', 0.000003],
    ['-1h', -3_600_000],
    ['+5m', 300_000],
    ['.5s', 500],
    ['5.s', 5_000],
    ['00001s', 1_000],
    ['1.5m30s', 120_000],
    ['1h1h', 7_200_000],
    ['1.0000000001s', 1_000],
    ['0.1ns', 0],
    ['1.999999999999ns', 0.000001],
    ['0.000000001s', 0.000001],
  ])('should parse %j like Go (%d ms)', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each([
    [''],
    ['1'],
    ['10'],
    ['-'],
    ['+'],
    ['h'],
    ['1d'],
    ['1hh'],
    ['1 h'],
    [' 1h'],
    ['1h '],
    ['.s'],
    ['-.s'],
    ['1.2.3s'],
    ['1H'],
    ['1Ms'],
    ['1e3s'],
    ['3.6e3s'],
    ['1m-1s'],
  ])('should reject %j as Go does', text => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it.each([
    ['9223372036854775807ns', 9223372036854775807n],
    ['-9223372036854775808ns', -9223372036854775808n],
    ['2562047h', 9223369200000000000n],
    ['2562047h47m16.854775807s', 9223372036854775807n],
    ['-2562047h47m16.854775808s', -9223372036854775808n],
  ])('should accept %j at the edge of int64 nanoseconds', (text, nanos) => {
    expect(parseGoDurationNanos(text)).toBe(nanos);
  });

  it.each([
    ['9223372036854775808ns'],
    ['-9223372036854775809ns'],
    ['2562048h'],
    ['2562047h47m16.854775808s'],
    ['100000000000000000000ns'],
  ])('should reject %j as an int64 overflow', text => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
