import { SecretValue } from '../../values/SecretValue';
import { renderTemplate } from '../renderTemplate';

function render(text: string): string {
  return renderTemplate({
    name: 'out',
    text,
    data: new Map([['issued', SecretValue.fromString('2024-03-05T07:08:09Z')]]),
  }).text();
}

// sprig's date functions in ESO's fork (runtime/template/v2/sprig/date.go),
// expected values as Go's time.Format prints them (Local = UTC, as ESO's image).
describe('sprig date functions', () => {
  it.each([
    [
      'date of unix seconds',
      '{{ date "2006-01-02 15:04:05 MST" 1709622489 }}',
      '2024-03-05 07:08:09 UTC',
    ],
    [
      'toDate then date',
      '{{ toDate "2006-01-02T15:04:05Z07:00" .issued | date "Jan _2 2006 3:04PM" }}',
      'Mar  5 2024 7:08AM',
    ],
    [
      'dateInZone',
      '{{ dateInZone "2006-01-02 15:04 -07:00 MST" 1709622489 "Europe/Paris" }}',
      '2024-03-05 08:08 +01:00 CET',
    ],
    ['htmlDate', '{{ htmlDate 1709622489 }}', '2024-03-05'],
    [
      'dateModify',
      '{{ toDate "2006-01-02" "2024-03-05" | dateModify "-1.5h" | date "2006-01-02 15:04" }}',
      '2024-03-04 22:30',
    ],
    [
      'unixEpoch',
      '{{ toDate "2006-01-02" "2024-03-05" | unixEpoch }}',
      '1709596800',
    ],
    ['duration', '{{ duration 3725 }} {{ duration "59" }}', '1h2m5s 59s'],
    [
      'durationRound',
      '{{ durationRound "2h10m" }} {{ durationRound "49h" }}',
      '2h 2d',
    ],
    [
      'toJson of a time',
      '{{ toDate "2006-01-02" "2024-03-05" | toJson }}',
      '"2024-03-05T00:00:00Z"',
    ],
    [
      'fractional seconds',
      '{{ toDate "2006-01-02 15:04:05.000" "2024-03-05 07:08:09.120" | date "05.000 05.999" }}',
      '09.120 09.12',
    ],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it('should give now, and ago of now as 0s', () => {
    const year = new Date().getUTCFullYear();
    expect(render('{{ now | date "2006" }}')).toBe(String(year));
    expect(render('{{ now | ago }}')).toBe('0s');
  });

  it('should fail, where sprig would return a zero time, on a date that does not match its layout', () => {
    expect(() => render('{{ toDate "2006-01-02" "05/03/2024" }}')).toThrow(
      'toDate: cannot parse',
    );
    expect(() => render('{{ now | dateModify "tomorrow" }}')).toThrow(
      'invalid duration',
    );
    expect(() => render('{{ dateInZone "2006" now "Mars/Base" }}')).toThrow(
      'unknown time zone',
    );
  });
});
