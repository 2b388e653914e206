import { createHash } from 'node:crypto';
import { compileGoRegExp } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { GoRegExp } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import YAML from 'yaml';
import {
  asText,
  equal,
  fail,
  int,
  list,
  stringish,
  strval,
  text,
  type Fn,
} from './functionSupport';
import { goReplaceAll } from '../reconcile/goRegexp';
import {
  Bytes,
  Float64,
  isTruthy,
  toBytes,
  typeName,
  type TMap,
  type TValue,
} from './values';

/**
 * Further sprig v3 functions (ESO's template v2 FuncMap is sprig.TxtFuncMap
 * without env/expandenv, plus ESO's own: pkg/template/v2/template.go) and ESO's
 * toYaml/fromYaml. None does I/O. Where sprig hides a failure (fromYaml puts
 * the error in the map) we raise it, as for fromJson.
 */

const str = (
  name: string,
  f: (...s: string[]) => TValue,
  arity: number,
): Fn => ({
  min: arity,
  max: arity,
  call: args => f(...args.map(a => text(name, a))),
});

/** sprig's toInt64 for numbers and numeric strings (cast.ToInt64, 0 on failure). */
function toInt(value: TValue): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (value instanceof Float64) return Math.trunc(value.value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()))
    return Number(value.trim());
  return 0;
}

function toFloat(value: TValue): number {
  if (typeof value === 'number') return value;
  if (value instanceof Float64) return value.value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

const arith = (f: (a: number, b: number) => number): Fn => ({
  min: 2,
  max: 2,
  call: ([a, b]) => f(toInt(a), toInt(b)),
});

function regexp(fn: string, source: TValue): GoRegExp {
  const compiled = compileGoRegExp(text(fn, source));
  if (!compiled.ok)
    return fail(`${fn}: error parsing regexp: ${compiled.reason}`);
  return compiled.regExp;
}

/** Go's FindAllString with n < 0 meaning all. */
function findAll(re: GoRegExp, s: string, n: number): string[] {
  const out: string[] = [];
  let from = 0;
  let prevEnd = -1;
  while (from <= s.length && (n < 0 || out.length < n)) {
    const match = re.find(s, from);
    if (!match) break;
    if (!(match.start === match.end && match.start === prevEnd))
      out.push(s.slice(match.start, match.end));
    prevEnd = match.end;
    from = match.end > match.start ? match.end : match.end + 1;
  }
  return out;
}

/** Go's Regexp.Split. */
function regexSplit(re: GoRegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (s === '' && re.source === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let from = 0;
  let prevEnd = -1;
  while (from <= s.length) {
    if (n > 0 && out.length === n - 1) break;
    const match = re.find(s, from);
    if (!match) break;
    const empty = match.start === match.end;
    if (!(empty && (match.start === 0 || match.start === prevEnd))) {
      if (!(empty && match.start === s.length) || match.start > beg) {
        out.push(s.slice(beg, match.start));
        beg = match.end;
      }
    }
    prevEnd = match.end;
    from = empty ? match.end + 1 : match.end;
  }
  if (beg <= s.length) out.push(s.slice(beg));
  return out;
}

/** Go's strings.Title: the first letter of each word upper-cased. */
function title(s: string): string {
  return s.replace(
    /(^|[^\p{L}\p{N}_'])(\p{L})/gu,
    (_, sep, c) => sep + c.toUpperCase(),
  );
}

function sortedKeys(map: TMap): string[] {
  return [...map.keys()].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
}

function dictArg(fn: string, value: TValue): TMap {
  if (value instanceof Map) return value;
  return fail(`${fn}: expected a dict, got ${typeName(value)}`);
}

function has(items: TValue[], needle: TValue): boolean {
  return items.some(item => {
    try {
      return equal(item, needle);
    } catch {
      return false;
    }
  });
}

/** A template value as plain data for the YAML library. */
function toPlain(value: TValue): unknown {
  if (value instanceof Float64) return value.value;
  if (value instanceof Bytes) return new TextDecoder().decode(value.bytes);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map)
    return Object.fromEntries(
      sortedKeys(value).map(k => [k, toPlain(value.get(k)!)]),
    );
  return value;
}

/** YAML data as sigs.k8s.io/yaml gives it to a template (via JSON: numbers are float64). */
function fromPlain(value: unknown): TValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return new Float64(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(fromPlain);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object')
    return new Map(
      Object.entries(value as object).map(([k, v]) => [k, fromPlain(v)]),
    );
  return String(value);
}

/** ESO's toYAML: sigs.k8s.io/yaml.Marshal (keys sorted), trailing newline trimmed. */
function toYaml(value: TValue): string {
  return YAML.stringify(toPlain(value), { sortMapEntries: true }).replace(
    /\n$/,
    '',
  );
}

/** ESO's fromYAML into map[string]interface{}; a parse error fails the template. */
function fromYaml(value: TValue): TValue {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text('fromYaml', value));
  } catch (e) {
    return fail(`fromYaml: ${(e as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return new Map();
  const result = fromPlain(parsed);
  if (!(result instanceof Map))
    return fail(`fromYaml: the document is a ${typeName(result)}, not a map`);
  return result;
}

function hash(algorithm: string, name: string): Fn {
  return {
    min: 1,
    max: 1,
    call: ([a]) =>
      createHash(algorithm)
        .update(toBytes(stringish(name, a)))
        .digest('hex'),
  };
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export const SPRIG_FUNCTIONS: Record<string, Fn> = {
  // strings
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
    call: ([n, s]) => {
      const [width, value] = [toInt(n), text('abbrev', s)];
      if (width < 4 || value.length <= width) return value;
      return `${value.slice(0, width - 3)}...`;
    },
  },
  trimAll: str(
    'trimAll',
    (cut, s) => {
      const chars = new Set(cut);
      let [b, e] = [0, s.length];
      while (b < e && chars.has(s[b])) b++;
      while (e > b && chars.has(s[e - 1])) e--;
      return s.slice(b, e);
    },
    2,
  ),
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
  snakecase: str(
    'snakecase',
    s =>
      s
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[\s-]+/g, '_')
        .toLowerCase(),
    1,
  ),
  kebabcase: str(
    'kebabcase',
    s =>
      s
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .replace(/[\s_]+/g, '-')
        .toLowerCase(),
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
  // hashes
  sha1sum: hash('sha1', 'sha1sum'),
  sha512sum: hash('sha512', 'sha512sum'),
  adler32sum: {
    min: 1,
    max: 1,
    call: ([a]) => String(adler32(toBytes(stringish('adler32sum', a)))),
  },
  // regular expressions: Go's RE2, linear time
  regexMatch: {
    min: 2,
    max: 2,
    call: ([re, s]) => regexp('regexMatch', re).test(text('regexMatch', s)),
  },
  regexFind: {
    min: 2,
    max: 2,
    call: ([re, s]) =>
      findAll(regexp('regexFind', re), text('regexFind', s), 1)[0] ?? '',
  },
  regexFindAll: {
    min: 3,
    max: 3,
    call: ([re, s, n]) =>
      findAll(regexp('regexFindAll', re), text('regexFindAll', s), toInt(n)),
  },
  regexReplaceAll: {
    min: 3,
    max: 3,
    call: ([re, s, repl]) =>
      goReplaceAll(
        regexp('regexReplaceAll', re),
        text('regexReplaceAll', s),
        text('regexReplaceAll', repl),
      ),
  },
  regexReplaceAllLiteral: {
    min: 3,
    max: 3,
    call: ([re, s, repl]) =>
      goReplaceAll(
        regexp('regexReplaceAllLiteral', re),
        text('regexReplaceAllLiteral', s),
        text('regexReplaceAllLiteral', repl).replace(/\$/g, '$$$$'),
      ),
  },
  regexSplit: {
    min: 3,
    max: 3,
    call: ([re, s, n]) =>
      regexSplit(regexp('regexSplit', re), text('regexSplit', s), toInt(n)),
  },
  regexQuoteMeta: str(
    'regexQuoteMeta',
    s => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
    1,
  ),
  // numbers
  atoi: {
    min: 1,
    max: 1,
    call: ([s]) => {
      const v = text('atoi', s);
      return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
    },
  },
  int: { min: 1, max: 1, call: ([v]) => toInt(v) },
  int64: { min: 1, max: 1, call: ([v]) => toInt(v) },
  float64: { min: 1, max: 1, call: ([v]) => new Float64(toFloat(v)) },
  add: {
    min: 0,
    max: Infinity,
    call: args => args.reduce<number>((sum, a) => sum + toInt(a), 0),
  },
  add1: { min: 1, max: 1, call: ([a]) => toInt(a) + 1 },
  sub: arith((a, b) => a - b),
  mul: {
    min: 1,
    max: Infinity,
    call: args => args.reduce<number>((p, a) => p * toInt(a), 1),
  },
  div: arith((a, b) =>
    b === 0 ? fail('div: integer divide by zero') : Math.trunc(a / b),
  ),
  mod: arith((a, b) => (b === 0 ? fail('mod: integer divide by zero') : a % b)),
  max: { min: 1, max: Infinity, call: args => Math.max(...args.map(toInt)) },
  min: { min: 1, max: Infinity, call: args => Math.min(...args.map(toInt)) },
  // lists
  list: { min: 0, max: Infinity, call: args => [...args] },
  first: { min: 1, max: 1, call: ([l]) => list('first', l)[0] ?? null },
  last: { min: 1, max: 1, call: ([l]) => list('last', l).at(-1) ?? null },
  rest: { min: 1, max: 1, call: ([l]) => list('rest', l).slice(1) },
  initial: { min: 1, max: 1, call: ([l]) => list('initial', l).slice(0, -1) },
  append: { min: 2, max: 2, call: ([l, v]) => [...list('append', l), v] },
  prepend: { min: 2, max: 2, call: ([l, v]) => [v, ...list('prepend', l)] },
  concat: {
    min: 0,
    max: Infinity,
    call: args => args.flatMap(l => list('concat', l)),
  },
  reverse: { min: 1, max: 1, call: ([l]) => [...list('reverse', l)].reverse() },
  uniq: {
    min: 1,
    max: 1,
    call: ([l]) =>
      list('uniq', l).reduce<TValue[]>(
        (out, v) => (has(out, v) ? out : [...out, v]),
        [],
      ),
  },
  compact: {
    min: 1,
    max: 1,
    call: ([l]) => list('compact', l).filter(isTruthy),
  },
  has: { min: 2, max: 2, call: ([needle, l]) => has(list('has', l), needle) },
  without: {
    min: 1,
    max: Infinity,
    call: ([l, ...drop]) => list('without', l).filter(v => !has(drop, v)),
  },
  sortAlpha: {
    min: 1,
    max: 1,
    call: ([l]) =>
      list('sortAlpha', l)
        .map(v => asText(strval(v)))
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
  },
  // dicts
  dict: {
    min: 0,
    max: Infinity,
    call: args => {
      const out: TMap = new Map();
      for (let i = 0; i < args.length; i += 2)
        out.set(asText(strval(args[i])), args[i + 1] ?? '');
      return out;
    },
  },
  get: {
    min: 2,
    max: 2,
    call: ([d, k]) => dictArg('get', d).get(text('get', k)) ?? '',
  },
  set: {
    min: 3,
    max: 3,
    call: ([d, k, v]) => dictArg('set', d).set(text('set', k), v),
  },
  unset: {
    min: 2,
    max: 2,
    call: ([d, k]) => {
      const m = dictArg('unset', d);
      m.delete(text('unset', k));
      return m;
    },
  },
  hasKey: {
    min: 2,
    max: 2,
    call: ([d, k]) => dictArg('hasKey', d).has(text('hasKey', k)),
  },
  keys: {
    min: 1,
    max: Infinity,
    call: args => args.flatMap(d => sortedKeys(dictArg('keys', d))),
  },
  values: {
    min: 1,
    max: 1,
    call: ([d]) => {
      const m = dictArg('values', d);
      return sortedKeys(m).map(k => m.get(k)!);
    },
  },
  pluck: {
    min: 1,
    max: Infinity,
    call: ([k, ...ds]) =>
      ds
        .map(d => dictArg('pluck', d))
        .filter(m => m.has(text('pluck', k)))
        .map(m => m.get(text('pluck', k))!),
  },
  pick: {
    min: 1,
    max: Infinity,
    call: ([d, ...ks]) => {
      const m = dictArg('pick', d);
      const names = ks.map(k => text('pick', k));
      return new Map([...m].filter(([k]) => names.includes(k)));
    },
  },
  omit: {
    min: 1,
    max: Infinity,
    call: ([d, ...ks]) => {
      const m = dictArg('omit', d);
      const names = ks.map(k => text('omit', k));
      return new Map([...m].filter(([k]) => !names.includes(k)));
    },
  },
  // logic and defaults
  ternary: { min: 3, max: 3, call: ([t, f, c]) => (isTruthy(c) ? t : f) },
  coalesce: {
    min: 0,
    max: Infinity,
    call: args => args.find(isTruthy) ?? null,
  },
  all: { min: 0, max: Infinity, call: args => args.every(isTruthy) },
  any: { min: 0, max: Infinity, call: args => args.some(isTruthy) },
  // encodings
  toPrettyJson: {
    min: 1,
    max: 1,
    call: ([a]) => JSON.stringify(toPlain(a), null, 2),
  },
  toRawJson: { min: 1, max: 1, call: ([a]) => JSON.stringify(toPlain(a)) },
  toYaml: { min: 1, max: 1, call: ([a]) => toYaml(a) },
  fromYaml: { min: 1, max: 1, call: ([a]) => fromYaml(a) },
  b32enc: {
    min: 1,
    max: 1,
    call: ([a]) => base32(toBytes(stringish('b32enc', a))),
  },
  typeOf: { min: 1, max: 1, call: ([a]) => goTypeOf(a) },
  kindOf: { min: 1, max: 1, call: ([a]) => goKindOf(a) },
};

function goTypeOf(value: TValue): string {
  if (value === null) return '<nil>';
  if (typeof value === 'string' || value instanceof Bytes) return 'string';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Map) return 'map[string]interface {}';
  return typeName(value);
}

function goKindOf(value: TValue): string {
  if (value === null) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (value instanceof Map) return 'map';
  return goTypeOf(value);
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}
