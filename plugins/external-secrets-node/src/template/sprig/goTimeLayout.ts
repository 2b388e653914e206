import { GoTime } from '../values';

/**
 * Go's time layouts (reference time Mon Jan 2 15:04:05 MST 2006), for
 * sprig's date functions: the layout tokens of Go's nextStdChunk, longest first.
 */
const TOKENS = [
  'January',
  'Monday',
  '-07:00:00',
  'Z07:00:00',
  '-070000',
  'Z070000',
  '-07:00',
  'Z07:00',
  '-0700',
  'Z0700',
  '2006',
  '__2',
  '002',
  'Jan',
  'Mon',
  'MST',
  '-07',
  'Z07',
  '_2',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];
const FRACTION = /^[.,](0+|9+)(?![0-9])/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

type Chunk = { literal: string } | { token: string };

function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let literal = '';
  for (let i = 0; i < layout.length; ) {
    const fraction = FRACTION.exec(layout.slice(i));
    const token = fraction?.[0] ?? TOKENS.find(t => layout.startsWith(t, i));
    if (token) {
      if (literal) out.push({ literal });
      literal = '';
      out.push({ token });
      i += token.length;
    } else literal += layout[i++];
  }
  if (literal) out.push({ literal });
  return out;
}

const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

function offset(minutes: number, colon: boolean, seconds: boolean, z: boolean) {
  if (z && minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  const parts = [pad(Math.floor(abs / 60)), pad(abs % 60)];
  if (seconds) parts.push('00');
  return `${minutes < 0 ? '-' : '+'}${parts.join(colon ? ':' : '')}`;
}

/** Go's Time.Format. */
export function formatGoLayout(t: GoTime, layout: string): string {
  const d = new Date(t.ms + t.offsetMinutes * 60_000);
  const [year, month, day] = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
  ];
  const [hour, minute, second] = [
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  const nanos = (t.ms % 1000) * 1e6 + t.nanos;
  const yday =
    Math.floor(
      (Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000,
    ) + 1;
  return chunks(layout)
    .map(c => {
      if ('literal' in c) return c.literal;
      const tok = c.token;
      if (/^[.,]/.test(tok)) {
        const digits = pad(nanos, 9).slice(0, tok.length - 1);
        if (tok[1] === '0') return tok[0] + digits;
        const trimmed = digits.replace(/0+$/, '');
        return trimmed ? tok[0] + trimmed : '';
      }
      const m = Math.abs(t.offsetMinutes);
      switch (tok) {
        case 'January':
          return MONTHS[month];
        case 'Jan':
          return MONTHS[month].slice(0, 3);
        case 'Monday':
          return DAYS[d.getUTCDay()];
        case 'Mon':
          return DAYS[d.getUTCDay()].slice(0, 3);
        case 'MST':
          return t.zone;
        case '2006':
          return pad(year, 4);
        case '06':
          return pad(year % 100);
        case '01':
          return pad(month + 1);
        case '1':
          return String(month + 1);
        case '02':
          return pad(day);
        case '2':
          return String(day);
        case '_2':
          return pad(day, 2, ' ');
        case '002':
          return pad(yday, 3);
        case '__2':
          return pad(yday, 3, ' ');
        case '15':
          return pad(hour);
        case '03':
          return pad(hour % 12 || 12);
        case '3':
          return String(hour % 12 || 12);
        case '04':
          return pad(minute);
        case '4':
          return String(minute);
        case '05':
          return pad(second);
        case '5':
          return String(second);
        case 'PM':
          return hour >= 12 ? 'PM' : 'AM';
        case 'pm':
          return hour >= 12 ? 'pm' : 'am';
        case '-07':
          return `${t.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}`;
        case 'Z07':
          return t.offsetMinutes === 0
            ? 'Z'
            : `${t.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}`;
        default: {
          // -0700, -07:00, -070000, -07:00:00 and their Z forms
          const seconds = tok.replace(/:/g, '').length === 7;
          return offset(
            t.offsetMinutes,
            tok.includes(':'),
            seconds,
            tok[0] === 'Z',
          );
        }
      }
    })
    .join('');
}

/** Go's time.ParseInLocation for the numeric layouts users write (names of months/days too). */
export function parseGoLayout(
  layout: string,
  value: string,
  zone: GoZone,
): GoTime | undefined {
  const parts: Record<string, string> = {};
  let pattern = '^';
  const names: string[] = [];
  for (const c of chunks(layout)) {
    if ('literal' in c) {
      pattern += c.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const tok = /^[.,]/.test(c.token) ? 'frac' : c.token;
    names.push(tok);
    const group: Record<string, string> = {
      January: '[A-Za-z]+',
      Jan: '[A-Za-z]{3}',
      Monday: '[A-Za-z]+',
      Mon: '[A-Za-z]{3}',
      MST: '[A-Z]{3,5}|[+-]\\d{2,4}',
      '2006': '\\d{4}',
      '06': '\\d{2}',
      '002': '\\d{3}',
      __2: '[ \\d]{3}',
      _2: '[ \\d]?\\d',
      PM: 'AM|PM',
      pm: 'am|pm',
      frac: '[.,]\\d+',
      '-07': '[+-]\\d{2}',
      Z07: 'Z|[+-]\\d{2}',
    };
    pattern += `(${group[tok] ?? numberPattern(tok)})`;
  }
  const m = new RegExp(`${pattern}$`).exec(value);
  if (!m) return undefined;
  names.forEach((n, i) => (parts[n] = m[i + 1]));
  const num = (...keys: string[]) => {
    const k = keys.find(x => parts[x] !== undefined);
    return k === undefined ? undefined : Number(parts[k].trim());
  };
  const monthName = parts.January ?? parts.Jan;
  const month = monthName
    ? MONTHS.findIndex(x => x.toLowerCase().startsWith(monthName.toLowerCase()))
    : (num('01', '1') ?? 1) - 1;
  if (month < 0) return undefined;
  let year =
    num('2006') ??
    (parts['06']
      ? 1900 + Number(parts['06']) + (Number(parts['06']) < 69 ? 100 : 0)
      : 0);
  if (!parts['2006'] && !parts['06']) year = 0;
  let hour = num('15', '03', '3') ?? 0;
  const meridiem = (parts.PM ?? parts.pm)?.toUpperCase();
  if (meridiem === 'PM' && hour < 12) hour += 12;
  if (meridiem === 'AM' && hour === 12) hour = 0;
  const fraction = parts.frac ? Number(`0.${parts.frac.slice(1)}`) : 0;
  const zoneText = [
    '-07:00:00',
    'Z07:00:00',
    '-070000',
    'Z070000',
    '-07:00',
    'Z07:00',
    '-0700',
    'Z0700',
    '-07',
    'Z07',
  ]
    .map(k => parts[k])
    .find(x => x !== undefined);
  const utc = Date.UTC(
    year,
    month,
    num('02', '2', '_2') ?? 1,
    hour,
    num('04', '4') ?? 0,
    num('05', '5') ?? 0,
  );
  const fixed = zoneText === undefined ? undefined : parseOffset(zoneText);
  const off = fixed ?? zone.offsetAt(utc);
  const ms = utc - off * 60_000 + Math.floor(fraction * 1000);
  return new GoTime(
    ms,
    zoneName(fixed, zone, ms),
    fixed ?? zone.offsetAt(ms),
    Math.round(fraction * 1e9) % 1e6,
  );
}

/** A zone token's pattern: offsets, 2-digit fields (01, 15), else 1-2 digits. */
function numberPattern(tok: string): string {
  if (/^[-Z]/.test(tok)) return 'Z|[+-][\\d:]+';
  if (/^0|15/.test(tok)) return '\\d{2}';
  return '\\d{1,2}';
}

/** Go names a parsed fixed offset "UTC" when it is zero, else leaves it unnamed. */
function zoneName(fixed: number | undefined, zone: GoZone, ms: number) {
  if (fixed === undefined) return zone.abbreviation(ms);
  return fixed === 0 ? 'UTC' : '';
}

function parseOffset(text: string): number {
  if (text === 'Z') return 0;
  const digits = text.slice(1).replace(/:/g, '');
  const minutes =
    Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
  return text[0] === '-' ? -minutes : minutes;
}

/** A time zone: UTC, or an IANA name through Intl. */
export type GoZone = {
  offsetAt(ms: number): number;
  abbreviation(ms: number): string;
};

export function goZone(name: string): GoZone | undefined {
  if (name === '' || name === 'UTC' || name === 'Local')
    return { offsetAt: () => 0, abbreviation: () => 'UTC' };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      timeZoneName: 'longOffset',
    });
  } catch {
    return undefined;
  }
  const shortUs = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    timeZoneName: 'short',
  });
  // en-GB names European zones as Go does (CET); en-US the American ones (EST).
  const shortGb = new Intl.DateTimeFormat('en-GB', {
    timeZone: name,
    timeZoneName: 'short',
  });
  const part = (f: Intl.DateTimeFormat, ms: number) =>
    f.formatToParts(new Date(ms)).find(p => p.type === 'timeZoneName')?.value ??
    '';
  return {
    offsetAt: ms => {
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part(format, ms));
      return m
        ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
        : 0;
    },
    abbreviation: ms => {
      const abbr = [part(shortUs, ms), part(shortGb, ms)].find(a =>
        /^[A-Z]{2,5}$/.test(a),
      );
      if (abbr) return abbr;
      // tzdata's numeric names: +03, +0530.
      return (
        part(format, ms)
          .replace(/^GMT/, '')
          .replace(/:00$/, '')
          .replace(':', '') || 'UTC'
      );
    },
  };
}

/** A time shown in `zone`. */
export function inZone(ms: number, zone: GoZone, nanos = 0): GoTime {
  return new GoTime(ms, zone.abbreviation(ms), zone.offsetAt(ms), nanos);
}
