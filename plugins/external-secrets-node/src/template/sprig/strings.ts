import {
  asText,
  int,
  list,
  str,
  strval,
  text,
  toInt,
  type Fn,
} from '../functionSupport';
import type { TValue } from '../values';

/** Go's strings.Title: the first letter of each word upper-cased. */
function title(s: string): string {
  return s.replace(
    /(^|[^\p{L}\p{N}_'])(\p{L})/gu,
    (_, sep, c) => sep + c.toUpperCase(),
  );
}

/** Go's strings.Trim(s, cutset). */
function trimAll(cut: string, s: string): string {
  const chars = new Set(cut);
  let [b, e] = [0, s.length];
  while (b < e && chars.has(s[b])) b++;
  while (e > b && chars.has(s[e - 1])) e--;
  return s.slice(b, e);
}

/** goutils.Abbreviate / AbbreviateFull as sprig calls them. */
function abbreviate(s: string, offset: number, width: number): string {
  if (width < 4 || s.length <= width) return s;
  let from = Math.min(offset, s.length);
  if (s.length - from < width - 3) from = s.length - (width - 3);
  if (from <= 4) return `${s.slice(0, width - 3)}...`;
  if (width < 7) return s;
  if (from + width - 3 < s.length)
    return `...${abbreviate(s.slice(from), 0, width - 3)}`;
  return `...${s.slice(s.length - (width - 3))}`;
}

/** goutils.WrapCustom(str, width, sep, wrapLongWords=true). */
function wrap(s: string, width: number, sep = '\n'): string {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of s.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter(Boolean)) {
      let rest = word;
      while (rest.length > w && line === '') {
        out.push(rest.slice(0, w));
        rest = rest.slice(w);
      }
      if (line === '') line = rest;
      else if (line.length + 1 + rest.length <= w) line += ` ${rest}`;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  return out.join(sep);
}

/** xstrings' case splitting: words at case changes, digits and separators. */
function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean);
}

/** sprig's `split`: a dict `_0`, `_1`, ... */
function splitDict(parts: string[]): Map<string, TValue> {
  return new Map<string, TValue>(parts.map((part, i) => [`_${i}`, part]));
}

/** Go's strings.SplitN. */
function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** sprig's string functions (runtime/template/v2/sprig/strings.go). */
export const STRING_FUNCTIONS: Record<string, Fn> = {
  title: str('title', title, 1),
  untitle: str(
    'untitle',
    s => s.replace(/(^|\s)(\S)/g, (_, sp, c) => sp + c.toLowerCase()),
    1,
  ),
  repeat: {
    min: 2,
    max: 2,
    call: ([n, s]) => text('repeat', s).repeat(Math.max(0, int('repeat', n))),
  },
  substr: {
    min: 3,
    max: 3,
    call: ([start, end, s]) => {
      const value = text('substr', s);
      const [b, e] = [toInt(start), toInt(end)];
      if (b < 0) return value.slice(0, e);
      if (e < 0 || e > value.length) return value.slice(b);
      return value.slice(b, e);
    },
  },
  nospace: str('nospace', s => s.replace(/\s/g, ''), 1),
  trunc: {
    min: 2,
    max: 2,
    call: ([n, s]) => {
      const [c, value] = [toInt(n), text('trunc', s)];
      if (c < 0 && value.length + c > 0) return value.slice(value.length + c);
      if (c >= 0 && value.length > c) return value.slice(0, c);
      return value;
    },
  },
  abbrev: {
    min: 2,
    max: 2,
    call: ([n, s]) => abbreviate(text('abbrev', s), 0, toInt(n)),
  },
  abbrevboth: {
    min: 3,
    max: 3,
    call: ([left, right, s]) =>
      abbreviate(text('abbrevboth', s), toInt(left), toInt(right)),
  },
  trimAll: str('trimAll', trimAll, 2),
  trimall: str('trimall', trimAll, 2),
  cat: {
    min: 0,
    max: Infinity,
    call: args =>
      args
        .filter(a => a !== null)
        .map(a => asText(strval(a)))
        .join(' '),
  },
  plural: {
    min: 3,
    max: 3,
    call: ([one, many, n]) =>
      toInt(n) === 1 ? text('plural', one) : text('plural', many),
  },
  initials: str(
    'initials',
    s =>
      s
        .split(/\s+/)
        .filter(Boolean)
        .map(w => [...w][0])
        .join(''),
    1,
  ),
  swapcase: str(
    'swapcase',
    s =>
      Array.from(s, c =>
        c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase(),
      ).join(''),
    1,
  ),
  wrap: {
    min: 2,
    max: 2,
    call: ([n, s]) => wrap(text('wrap', s), toInt(n)),
  },
  wrapWith: {
    min: 3,
    max: 3,
    call: ([n, sep, s]) =>
      wrap(text('wrapWith', s), toInt(n), text('wrapWith', sep)),
  },
  snakecase: str(
    'snakecase',
    s =>
      words(s)
        .map(w => w.toLowerCase())
        .join('_'),
    1,
  ),
  kebabcase: str(
    'kebabcase',
    s =>
      words(s)
        .map(w => w.toLowerCase())
        .join('-'),
    1,
  ),
  camelcase: str(
    'camelcase',
    s =>
      s
        .split(/[_\s-]+/)
        .filter(Boolean)
        .map(w => w[0].toUpperCase() + w.slice(1))
        .join(''),
    1,
  ),
  toStrings: {
    min: 1,
    max: 1,
    call: ([l]) => list('toStrings', l).map(v => strval(v)),
  },
  splitn: {
    min: 3,
    max: 3,
    call: ([sep, n, s]) =>
      splitDict(splitN(text('splitn', s), text('splitn', sep), toInt(n))),
  },
};
